"""Staff add a nerve-pain drug and a referral through their forms, are refused a stop date before
the start, and see both in the patient page's Supportive care section."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model


def test_staff_record_a_medication_and_a_referral(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="+ Medication").click()
    page.locator("[name='drug']").select_option("pregabalin")
    page.locator("[name='dose']").fill("75")
    page.get_by_label("Dose unit").select_option("mg")
    page.get_by_label("Frequency").fill("twice daily")
    page.locator("[name='start_date']").fill("2025-02-03")
    page.get_by_label("Stop date").fill("2025-01-03")
    page.get_by_role("button", name="Save").click()
    assert "Stop date (2025-01-03) must be on or after the start date (2025-02-03)." in page.content()
    screenshot(page, "medication-form-refused")
    assert not record_model("medication").objects.exists()
    page.get_by_label("Stop date").fill("")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="+ Referral").click()
    page.locator("[name='service']").select_option("pain")
    page.locator("[name='referred_on']").fill("2025-02-03")
    page.get_by_label("Referral status").select_option("seen")
    page.get_by_label("Status date").fill("2025-03-10")
    page.get_by_role("button", name="Save").click()

    section = page.locator("#supportive")
    medication = section.locator("tr", has_text="Pregabalin").inner_text()
    assert "Neuropathic pain" in medication and "75 mg" in medication and "ongoing" in medication
    referral = section.locator("tr", has_text="Pain specialist").inner_text()
    assert "Seen" in referral and "2025-03-10" in referral
    section.scroll_into_view_if_needed()
    screenshot(page, "patient-page-supportive-care")
    assert page.external_requests == []
