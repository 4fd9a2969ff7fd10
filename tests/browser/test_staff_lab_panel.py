"""Staff sign in, find a patient, enter a lab panel in a unit that needs conversion, and see
the converted value with its reference range."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model


def test_staff_enters_hemoglobin_in_g_dl_and_sees_g_l_with_range(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.get_by_label("Find a patient").fill("Example")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Example, Ada").click()
    page.get_by_role("link", name="+ Blood count").click()

    page.get_by_label("Collected on").fill("2025-06-02")
    page.get_by_label("Laboratory").fill("City lab")
    page.locator("[name='hemoglobin-value']").fill("13.5")
    page.locator("[name='hemoglobin-unit']").select_option("g/dL")
    page.locator("[name='platelets-value']").fill("520")
    page.locator("[name='platelets-unit']").select_option("10^3/uL")
    screenshot(page, "lab-panel-form")
    page.get_by_role("button", name="Save results").click()

    labs = page.locator("#labs")
    row = labs.locator("tr", has_text="Haemoglobin")
    assert "135 g/L" in row.inner_text()
    assert "120–160 g/L" in row.inner_text()  # female fallback range
    assert "13.5 g/dL" in row.inner_text()  # as entered, kept beside the canonical value
    platelets = labs.locator("tr", has_text="Platelets")
    assert "520 ×10⁹/L" in platelets.inner_text()
    assert "High" in platelets.inner_text()
    screenshot(page, "patient-page-after-lab-panel")

    stored = record_model("lab").objects.get(patient=patient, analyte="hemoglobin")
    assert stored.value_canonical == 135 and stored.unit_as_entered == "g/dL"
    assert page.external_requests == []
