"""The exports page: consultants only, own clinics only, every export recorded, downloads only
for the user who asked."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tracker.models import ExportRun, ExportSource
from tracker.roles import CONSULTANT


@pytest.fixture
def two_clinics(patient, other_clinic):
    PatientFactory(clinic=other_clinic, mrn="S001", given_name="Cleo", family_name="Southern")
    return patient


def _zip_rows(response, name: str) -> list[dict]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))


@pytest.mark.parametrize("who", ["anonymous", "patient", "staff", "outsider"])
def test_only_users_who_may_export_reach_the_page(client, two_clinics, who, staff_user, patient_user, outsider_staff):
    user = {"anonymous": None, "patient": patient_user, "staff": staff_user, "outsider": outsider_staff}[who]
    if user:
        client.force_login(user)
    for response in (client.get(reverse("export_list")), client.post(reverse("export_start"), {})):
        assert response.status_code == (302 if who == "anonymous" else 403)
    assert not ExportRun.objects.exists()


def test_consultant_exports_only_their_clinic_and_the_run_is_recorded(client, two_clinics, consultant_user, settings):
    settings.POEMS_PSEUDONYM_KEY = "k" * 40
    client.force_login(consultant_user)
    assert client.get(reverse("export_list")).status_code == 200
    response = client.post(reverse("export_start"), {"clinic": ""})
    assert response.status_code == 302
    run = ExportRun.objects.get()
    assert (run.actor, run.source, run.status, run.pseudonymised) == (consultant_user, ExportSource.WEB, "done", False)
    assert run.counts["patients"] == 1
    download = client.get(reverse("export_download", args=[run.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert [row["patient_id"] for row in _zip_rows(download, "patients")] == ["P001"]
    page = client.get(reverse("export_list")).content.decode()
    assert run.file_name in page


def test_pseudonymised_web_export_holds_no_mrn(client, two_clinics, consultant_user, settings):
    settings.POEMS_PSEUDONYM_KEY = "k" * 40
    client.force_login(consultant_user)
    client.post(reverse("export_start"), {"pseudonymise": "on"})
    run = ExportRun.objects.get()
    archive = zipfile.ZipFile(io.BytesIO(bytes(run.file_bytes)))
    assert "datapackage.json" in archive.namelist()
    for name in archive.namelist():
        text = archive.read(name).decode()
        assert "P001" not in text and "Example" not in text.replace("example.org", "")


def test_a_clinic_the_user_is_not_in_cannot_be_chosen(client, two_clinics, consultant_user, other_clinic):
    client.force_login(consultant_user)
    response = client.post(reverse("export_start"), {"clinic": other_clinic.code})
    assert response.status_code == 400 and not ExportRun.objects.exists()


def test_a_download_is_only_for_the_user_who_asked(client, two_clinics, consultant_user, clinic):
    client.force_login(consultant_user)
    client.post(reverse("export_start"), {})
    run = ExportRun.objects.get()
    colleague = UserFactory(username="colleague", role=CONSULTANT, clinics=[clinic])
    client.force_login(colleague)
    assert client.get(reverse("export_download", args=[run.pk])).status_code == 404


def test_consultants_see_every_export_of_their_clinics(client, two_clinics, consultant_user, outsider_staff, tmp_path):
    call_command("export_research", "--out", str(tmp_path / "x"), stdout=io.StringIO())
    ExportRun.objects.create(actor=outsider_staff, format="research", source="web", counts={"patients": 1})
    client.force_login(consultant_user)
    page = client.get(reverse("export_list")).content.decode()
    assert "Every export of your clinics" in page and "command line" in page
    assert "elsewhere" not in page  # the other clinic's staff user


def test_a_pseudonymised_export_without_the_key_fails_with_a_message(client, two_clinics, consultant_user, settings):
    settings.POEMS_PSEUDONYM_KEY, settings.DEBUG = "", False
    client.force_login(consultant_user)
    response = client.post(reverse("export_start"), {"pseudonymise": "on"}, follow=True)
    run = ExportRun.objects.get()
    assert run.status == "failed" and run.file_bytes is None
    assert "POEMS_PSEUDONYM_KEY is not set" in response.content.decode()
