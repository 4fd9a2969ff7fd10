"""The published demo sign-ins never reach real patients."""

import datetime

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tracker.roles import CONSULTANT, PATIENT, STAFF
from tracker.services.patients import clinic_default, patient_create


def _demo_clinic():
    demo = ClinicFactory(code="demo", name="Demo clinic")
    staff = UserFactory(username="staff", role=STAFF, clinics=[demo])
    consultant = UserFactory(username="consultant", role=CONSULTANT, clinics=[demo])
    demo_patient = PatientFactory(clinic=demo, mrn="DEMO-001", is_demo=True)
    patient = UserFactory(username="patient", role=PATIENT)
    demo_patient.user = patient
    demo_patient.save()
    return demo, (staff, consultant, patient)


def test_a_real_patient_never_goes_to_the_demo_clinic(db):
    demo, _accounts = _demo_clinic()
    clinic = clinic_default()
    assert clinic != demo and clinic.code == "main"


def test_registering_a_real_patient_switches_the_demo_sign_ins_off(db):
    _demo, accounts = _demo_clinic()
    real_staff = UserFactory(username="nurse-real", role=STAFF, clinics=[clinic_default()])
    patient_create(
        actor=real_staff,
        mrn="R0001",
        given_name="Real",
        family_name="Person",
        birth_date=datetime.date(1970, 1, 1),
        sex="female",
    )
    for account in accounts:
        account.refresh_from_db()
        assert account.is_active is False
    real_staff.refresh_from_db()
    assert real_staff.is_active is True


def test_importing_real_patients_switches_the_demo_sign_ins_off(db, tmp_path):
    import io

    from django.core.management import call_command

    _demo, accounts = _demo_clinic()
    path = tmp_path / "patients.csv"
    path.write_text("mrn,given_name,family_name,birth_date,sex\nR0002,Real,Person,1970-01-01,male\n")
    call_command("import_csv", "patients", str(path), stdout=io.StringIO())
    assert all(not type(a).objects.get(pk=a.pk).is_active for a in accounts)
