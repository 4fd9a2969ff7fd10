"""seed_demo: twenty synthetic patients with timelines, three demo sign-ins, idempotent, and
never mixed into a database holding real patients.

Seeding takes about ten seconds, so it runs once for this module inside a transaction that is
rolled back at the end; each test runs in its own savepoint within it.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.factories import PatientFactory
from tests.record_kinds import record_model
from tracker.demo import DEMO_PASSWORD
from tracker.models import (
    Clinic,
    Patient,
)

User = get_user_model()


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def totals() -> dict[str, int]:
    models = (
        Patient,
        record_model("lab"),
        record_model("visit"),
        record_model("treatment"),
        record_model("symptoms"),
        record_model("ncs"),
        record_model("medication"),
        record_model("referral"),
        record_model("event"),
        User,
        Clinic,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_twenty_demo_patients_are_created_in_the_demo_clinic(seeded):
    patients = Patient.objects.all()
    assert patients.count() == 20
    assert all(p.is_demo for p in patients)
    assert {p.clinic.code for p in patients} == {"demo"}
    assert sorted(p.mrn for p in patients)[:2] == ["DEMO-001", "DEMO-002"]
    assert "Created 20 synthetic demo patients." in seeded


@pytest.mark.parametrize(
    "related", ["lab_results", "visits", "treatments", "symptom_reports", "nerve_studies", "imaging_studies"]
)
def test_every_demo_patient_has_a_timeline_of_each_kind(seeded, related):
    empty = [p.mrn for p in Patient.objects.all() if not getattr(p, related).exists()]
    assert empty == []


def test_every_demo_patient_has_years_of_follow_up_and_a_checklist(seeded):
    for patient in Patient.objects.all():
        dates = list(patient.lab_results.values_list("collected_on", flat=True))
        assert (max(dates) - min(dates)).days > 365
        assert patient.checklist.diagnosis_met
        assert patient.diagnosis_date is not None


def test_demo_labs_keep_values_as_entered_beside_canonical(seeded):
    converted = record_model("lab").objects.filter(analyte="hemoglobin", unit_as_entered="g/dL")
    assert converted.exists()
    assert all(r.value_canonical == r.value_as_entered * 10 for r in converted)
    assert not record_model("lab").objects.filter(category="", value_canonical__isnull=True).exists()


@pytest.mark.parametrize(
    ("username", "home"), [("staff", "/worklist/"), ("consultant", "/worklist/"), ("patient", "/me/")]
)
def test_each_demo_account_signs_in_and_reaches_its_home(seeded, client, username, home):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert (response.status_code, response.url) == (302, "/")
    assert client.get("/").url == home
    assert client.get(home).status_code == 200


def test_demo_patient_account_is_linked_to_the_first_demo_patient(seeded):
    assert Patient.objects.get(user__username="patient").mrn == "DEMO-001"


def test_demo_clinical_accounts_see_the_demo_patients(seeded, client):
    client.force_login(User.objects.get(username="consultant"))
    response = client.get("/patients/", {"q": "DEMO"})
    assert len(response.context["patients"]) == 20


def test_the_demo_sign_ins_are_printed(seeded):
    for username, role in (("staff", "staff"), ("consultant", "consultant"), ("patient", "patient")):
        assert f"{role:<11} username '{username}'" in seeded
    assert seeded.count(f"password '{DEMO_PASSWORD}'") == 3


def test_second_run_adds_nothing_and_prints_the_sign_ins_again(seeded):
    before = totals()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert totals() == before
    assert "Demo data already present; nothing added." in out.getvalue()
    assert out.getvalue().count(f"password '{DEMO_PASSWORD}'") == 3


def test_seeding_is_refused_when_a_real_patient_exists(seeded, clinic):
    PatientFactory(clinic=clinic, mrn="REAL-1")
    before = totals()
    with pytest.raises(CommandError, match="Refusing to seed: this database holds non-demo patients."):
        call_command("seed_demo", stdout=io.StringIO())
    assert totals() == before


@pytest.mark.parametrize("kind", ["marrow", "event", "lesion", "medication", "referral"])
def test_the_demo_clinic_shows_each_part_of_the_whole_record(seeded, kind):
    assert record_model(kind).objects.exists()


def test_the_demo_clinic_has_one_death_and_confirmed_relapse_and_progression(seeded):
    events = record_model("event").objects
    deaths = list(events.filter(event="death"))
    assert [d.patient.mrn for d in deaths] == ["DEMO-013"]
    last_record = max(deaths[0].patient.lab_results.values_list("collected_on", flat=True))
    assert deaths[0].onset_date > last_record and deaths[0].cause
    assert events.filter(event="relapse").exists() and events.filter(event="progression").exists()


def test_every_demo_patient_has_supportive_care_and_examination(seeded):
    for patient in Patient.objects.all():
        assert patient.medications.filter(purpose="neuropathic_pain").exists()
        assert patient.referrals.filter(service="rehabilitation").exists()
        assert patient.visits.filter(mrc_sum__isnull=False).exists()
    assert record_model("medication").objects.filter(drug="apixaban", stop_date__isnull=False).exists()
    assert record_model("marrow").objects.filter(plasma_cells_pct__lt=5, clonality="none").exists()
