"""Staff upload a lab CSV with one bad row, see the problem beside that row with nothing saved,
upload the corrected file, confirm, and the rows are saved."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model
from tracker.models import ImportRun

HEADER = "mrn,collected_on,analyte,value,unit,specimen,lab,confounders\n"
ROWS = (
    "P001,2025-01-10,vegf,4200,pg/mL,serum,City lab,\n"
    "P001,2025-01-10,platelets,520,10^3/uL,,City lab,\n"
    "P002,2025-01-10,hemoglobin,{hb},g/dL,,City lab,\n"
    "P002,2025-01-10,vegf,1250,ng/L,serum,City lab,acute_illness\n"
)


def _csv(hb: str) -> dict:
    return {"name": "north-labs.csv", "mimeType": "text/csv", "buffer": (HEADER + ROWS.format(hb=hb)).encode()}


def test_bad_row_is_shown_beside_its_row_then_the_fixed_file_is_confirmed(
    page, staff_user, patient, other_patient, transactional_db
):
    sign_in(page, staff_user.username, PASSWORD)
    page.get_by_role("link", name="Import").click()
    page.locator("#columns-labs summary").click()
    screenshot(page, "import-start")
    page.get_by_label("What the file holds").select_option("labs")
    page.get_by_label("CSV file").set_input_files(_csv(hb="135"))  # g/dL typed for a g/L value
    with page.expect_navigation():  # the page streams progress, then goes to the result
        page.get_by_role("button", name="Check the file").click()

    bad_row = page.locator("#row-3")
    assert "error" in bad_row.inner_text()
    assert (
        "135 g/dL is outside the plausible range for Haemoglobin: 30 to 250 g/L (3 to 25 g/dL)" in bad_row.inner_text()
    )
    assert "created" in page.locator("#row-1").inner_text()
    assert page.get_by_role("button", name="Confirm and save").count() == 0
    assert record_model("lab").objects.count() == 0
    screenshot(page, "import-preview")

    page.get_by_label("CSV file").set_input_files(_csv(hb="13.5"))
    with page.expect_navigation():  # the page streams progress, then goes to the result
        page.get_by_role("button", name="Check the corrected file").click()
    assert "Checked 4 rows" in page.locator("#summary").inner_text()
    assert page.locator("#preview tbody tr", has_text="created").count() == 4
    assert record_model("lab").objects.count() == 0
    screenshot(page, "import-preview-clean")

    with page.expect_navigation():  # the page streams progress, then goes to the result
        page.get_by_role("button", name="Confirm and save").click()
    assert "imported: 4 created, 0 unchanged, 0 updated" in page.get_by_role("status").first.inner_text()
    screenshot(page, "import-saved")

    assert record_model("lab").objects.count() == 4
    assert record_model("lab").objects.get(analyte="hemoglobin").value_canonical == 135
    assert list(ImportRun.objects.order_by("id").values_list("status", flat=True)) == ["discarded", "imported"]
    assert page.external_requests == []
