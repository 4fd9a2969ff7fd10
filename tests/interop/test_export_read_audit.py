"""Exports in the read audit (`manage.py access_log`): the command-line research export records
one row per patient exported (research and FHIR), under the `--user` it records (default the system user); a patient
downloading their own record from the portal is not a read by anyone else."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tracker.models import ExportRun, Patient, PatientPortal
from tracker.roles import PATIENT

EXAMPLE_MRNS = ["IMP-001", "IMP-002", "IMP-003"]


def access_log(*args) -> list[tuple[str, str, str]]:
    """(user, mrn, what) of each row `access_log` prints, sorted."""
    out = io.StringIO()
    call_command("access_log", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "when,user,mrn,what"
    return sorted(tuple(line.split(",", 1)[1].split(",")) for line in lines[1:])


def test_export_research_records_every_patient_exported(example_record, tmp_path, consultant_user):
    call_command("export_research", "--out", str(tmp_path / "a"), stdout=io.StringIO())
    call_command("export_research", "--out", str(tmp_path / "b"), "--user", "doctor", stdout=io.StringIO())
    assert access_log("--user", "import") == [("import", mrn, "research export") for mrn in EXAMPLE_MRNS]
    assert access_log("--user", "doctor") == [("doctor", mrn, "research export") for mrn in EXAMPLE_MRNS]


def test_export_research_of_another_clinic_records_only_its_patients(example_record, tmp_path, other_clinic):
    call_command("export_research", "--out", str(tmp_path / "a"), "--clinic", "south", stdout=io.StringIO())
    assert access_log() == []


@pytest.mark.parametrize("name", ["portal_record_json", "portal_record_csv"])
def test_a_patients_own_record_download_is_no_read_by_anyone_else(example_record, client, name):
    patient = Patient.objects.get(mrn="IMP-001")
    patient.user = UserFactory(username="alex", role=PATIENT)
    patient.save()
    PatientPortal.objects.create(patient=patient, released_analytes=["platelets"])
    client.force_login(patient.user)
    assert client.get(reverse(name)).status_code == 200
    assert ExportRun.objects.filter(actor=patient.user).count() == 1  # the export audit has it
    assert access_log() == []


def test_export_fhir_records_every_patient_exported(example_record, tmp_path, consultant_user):
    call_command("export_fhir", "--out", str(tmp_path / "all.json"), "--user", "doctor", stdout=io.StringIO())
    call_command("export_fhir", "--out", str(tmp_path / "one.json"), "--mrn", "IMP-002", stdout=io.StringIO())
    assert access_log("--user", "doctor") == [("doctor", mrn, "fhir export") for mrn in EXAMPLE_MRNS]
    assert access_log("--user", "import") == [("import", "IMP-002", "fhir export")]
