"""A patient downloads their own record from the portal, never anyone else's; no other role can."""

import csv
import io
import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from tests.factories import UserFactory
from tests.record_kinds import record_model
from tracker.models import ExportRun, Patient, PatientPortal
from tracker.roles import CONSULTANT, PATIENT
from tracker.services.review import results_mark_reviewed

URLS = ("portal_record_json", "portal_record_csv")


@pytest.fixture
def imp_patient(example_record):
    """IMP-001 of the examples, with a portal account and platelets shared with them."""
    patient = Patient.objects.get(mrn="IMP-001")
    patient.user = UserFactory(username="alex", role=PATIENT)
    patient.save()
    PatientPortal.objects.create(patient=patient, released_analytes=["platelets"])
    reviewer = UserFactory(username="reviewer", role=CONSULTANT)
    results_mark_reviewed(record_model("lab").objects.filter(patient=patient, analyte="platelets"), actor=reviewer)
    return patient


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("who", ["anonymous", "staff", "consultant", "outsider"])
def test_only_a_patient_may_download_a_record(client, imp_patient, name, who, staff_user, outsider_staff, clinic):
    user = {
        "anonymous": None,
        "staff": staff_user,
        "consultant": UserFactory(username="dr", role=CONSULTANT, clinics=[clinic]),
        "outsider": outsider_staff,
    }[who]
    if user:
        client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_the_fhir_record_is_the_patients_own_and_valid(client, imp_patient):
    client.force_login(imp_patient.user)
    response = client.get(reverse("portal_record_json"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    Bundle.model_validate(document)
    mrns = {
        e["resource"]["identifier"][0]["value"] for e in document["entry"] if e["resource"]["resourceType"] == "Patient"
    }
    assert mrns == {"IMP-001"}
    assert "IMP-002" not in response.content.decode() and "Sample" not in response.content.decode()
    labs = [e["resource"] for e in document["entry"] if e["resource"]["id"].startswith("lab-")]
    assert labs and all(lab["code"]["coding"][0]["code"] == "777-3" for lab in labs)  # shared results only
    assert ExportRun.objects.get().actor == imp_patient.user


def test_the_csv_record_reads_in_words(client, imp_patient):
    client.force_login(imp_patient.user)
    response = client.get(reverse("portal_record_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    whats = {row["what"] for row in rows}
    assert "Platelets" in whats and any(what.startswith("Your report: ") for what in whats)
    shown = {(row["date"], row["value"], row["what"].rpartition(": ")[2]) for row in rows}
    treatments = record_model("treatment").objects.filter(patient=imp_patient, status="final")
    assert treatments and {(t.start_date.isoformat(), t.regimen, t.get_category_display()) for t in treatments} <= shown
    assert not {"Serum VEGF", "Haemoglobin"} & whats
    assert record_model("lab").objects.filter(patient__mrn="IMP-001", analyte="vegf").exists()


def test_another_patient_gets_only_their_own(client, imp_patient):
    other = Patient.objects.get(mrn="IMP-002")
    other.user = UserFactory(username="sam", role=PATIENT)
    other.save()
    client.force_login(other.user)
    text = client.get(reverse("portal_record_json")).content.decode()
    assert "IMP-002" in text and "IMP-001" not in text and "Alex" not in text
