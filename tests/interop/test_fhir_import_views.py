"""The FHIR import page: staff and consultants only, preview before saving, confirm saves all,
another user's upload is not found."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.record_kinds import record_model
from tracker.models import FhirUpload, Patient
from tracker.roles import STAFF

HOSPITAL = b"""{"resourceType": "Bundle", "type": "collection", "entry": [
 {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
   "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
   "subject": {"identifier": {"value": "P001"}}, "effectiveDateTime": "2025-01-07",
   "valueQuantity": {"value": 12.9, "unit": "g/dL", "system": "http://unitsofmeasure.org", "code": "g/dL"}}}]}"""


def _upload(client, content: bytes, name="bundle.json"):
    return client.post(reverse("fhir_import_start"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("who", ["anonymous", "patient"])
def test_only_clinical_users_reach_the_page(client, patient_user, who):
    if who == "patient":
        client.force_login(patient_user)
    response = client.get(reverse("fhir_import_start"))
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_preview_saves_nothing_and_confirm_saves_everything(client, staff_user, patient):
    client.force_login(staff_user)
    response = _upload(client, HOSPITAL)
    upload = FhirUpload.objects.get()
    assert response.url == reverse("fhir_import_run", args=[upload.pk])
    page = client.get(response.url).content.decode()
    assert "What would change" in page and "Confirm and save" in page
    assert not record_model("lab").objects.exists()
    client.post(reverse("fhir_import_confirm", args=[upload.pk]))
    lab = record_model("lab").objects.get()
    assert (lab.analyte, lab.value_canonical, lab.unit_as_entered) == ("hemoglobin", 129, "g/dL")
    upload.refresh_from_db()
    assert upload.status == "imported" and upload.file_bytes is None


def test_bad_input_is_listed_naming_entry_and_field(client, staff_user, patient):
    client.force_login(staff_user)
    _upload(client, HOSPITAL.replace(b'"g/dL"}', b'"furlong"}'))
    upload = FhirUpload.objects.get()
    page = client.get(reverse("fhir_import_run", args=[upload.pk])).content.decode()
    assert "entry 0 (Observation/o1), field valueQuantity.code: unknown or wrong UCUM unit" in page
    assert "Confirm and save" not in page and not record_model("lab").objects.exists()


def test_patients_of_another_clinic_are_not_touched(client, outsider_staff, patient):
    client.force_login(outsider_staff)
    _upload(client, HOSPITAL)
    upload = FhirUpload.objects.get()
    assert any("unknown mrn 'P001'" in problem for problem in upload.problems)
    assert not record_model("lab").objects.exists()


def test_another_users_upload_is_not_found(client, staff_user, patient, clinic):
    client.force_login(staff_user)
    _upload(client, HOSPITAL)
    upload = FhirUpload.objects.get()
    client.force_login(UserFactory(username="colleague", role=STAFF, clinics=[clinic]))
    assert client.get(reverse("fhir_import_run", args=[upload.pk])).status_code == 404
    assert client.post(reverse("fhir_import_confirm", args=[upload.pk])).status_code == 404
    assert not record_model("lab").objects.exists()


def test_an_exported_patient_round_trips_through_the_page(client, staff_user, patient, tmp_path):
    call_command("export_fhir", "--out", str(tmp_path / "b.json"), stdout=io.StringIO())
    client.force_login(staff_user)
    _upload(client, (tmp_path / "b.json").read_bytes())
    upload = FhirUpload.objects.get()
    assert upload.status == "previewed" and upload.counts["patients"]["unchanged"] == 1
    assert Patient.objects.count() == 1
