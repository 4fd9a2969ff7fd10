"""A consultant prepares a pseudonymised research export and downloads the zip; staff import a
FHIR Bundle through the page, see the preview and confirm it."""

import zipfile

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model
from tracker.models import ExportRun

BUNDLE = b"""{"resourceType": "Bundle", "type": "collection", "entry": [
 {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
   "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]},
   "subject": {"identifier": {"value": "P001"}}, "effectiveDateTime": "2025-01-07",
   "valueQuantity": {"value": 455, "unit": "10^9/L", "system": "http://unitsofmeasure.org", "code": "10*9/L"}}}]}"""


def test_consultant_downloads_a_pseudonymised_export(page, consultant_user, patient, settings, transactional_db):
    settings.POEMS_PSEUDONYM_KEY = "browser-test-installation-secret"
    sign_in(page, consultant_user.username, PASSWORD)
    page.get_by_role("link", name="Exports").click()
    page.get_by_label("Pseudonymise").check()
    page.get_by_role("button", name="Prepare the export").click()
    link = page.get_by_role("link", name="poems-research-pseudonymised-")
    with page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(download.value.path())
    assert "datapackage.json" in archive.namelist()
    assert "P001" not in archive.read("patients.csv").decode()
    screenshot(page, "exports-page")
    assert ExportRun.objects.get().pseudonymised
    assert page.external_requests == []


def test_staff_import_a_fhir_bundle_after_the_preview(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("link", name="Import a FHIR Bundle").click()
    page.get_by_label("FHIR Bundle (JSON)").set_input_files(
        {"name": "hospital.json", "mimeType": "application/json", "buffer": BUNDLE}
    )
    page.get_by_role("button", name="Check the Bundle").click()
    page.get_by_role("heading", name="What would change").wait_for()
    screenshot(page, "fhir-import-preview")
    assert record_model("lab").objects.count() == 0
    page.get_by_role("button", name="Confirm and save").click()
    page.get_by_role("heading", name="What was saved").wait_for()
    assert record_model("lab").objects.get().value_canonical == 455
