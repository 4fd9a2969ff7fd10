"""A patient on a phone (390 px): signs in, fills in the symptom report with large touch
targets, sends it, and sees it on their own page."""

import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model
from tracker.models import SYMPTOM_CODES
from tracker.services.records import symptom_report_record

PHONE = {"width": 390, "height": 844}
ANSWERS = dict.fromkeys(SYMPTOM_CODES, 1) | {"swelling": 3, "fatigue": 4, "numbness_tingling": 2}


def _history(patient, actor):
    today = timezone.localdate()
    for weeks, swelling, weight in ((11, 1, "71.2"), (7, 1, "71.0"), (3, 2, "71.8")):
        symptom_report_record(
            patient=patient,
            actor=actor,
            reported_on=today - datetime.timedelta(weeks=weeks),
            source="patient",
            weight_kg=Decimal(weight),
            **(dict.fromkeys(SYMPTOM_CODES, 1) | {"swelling": swelling, "fatigue": 3}),
        )


def test_patient_reports_symptoms_on_a_phone_and_sees_them(page, patient_user, patient, transactional_db):
    _history(patient, patient_user)
    page.set_viewport_size(PHONE)
    sign_in(page, patient_user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Ada")).to_be_visible()

    page.get_by_role("link", name="Send a report now").click()
    expect(page.get_by_role("heading", name="How have you been?")).to_be_visible()
    for code, score in ANSWERS.items():
        label = page.locator(f"label[for='id_{code}_{score}']")
        box = label.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"touch target of {code} is {box}"
        label.click()
    # Keyboard: arrow keys move within a scale, as with any radio group.
    page.locator("#id_diarrhoea_1").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#id_diarrhoea_2").is_checked()
    page.keyboard.press("ArrowLeft")
    page.get_by_label("Weight in kg (optional)").fill("72,4")
    page.get_by_label("Anything else you would like your clinic team to know? (optional)").fill(
        "Ankles puffy by evening"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    screenshot(page, "portal-report-390")

    page.get_by_role("button", name="Send my report").click()
    page.wait_for_url("**/me/")
    expect(page.get_by_text("Thank you. Your report for")).to_be_visible()
    expect(page.get_by_text("Thank you, you sent a report today")).to_be_visible()
    last = page.locator("section", has=page.get_by_role("heading", name="Your last report"))
    assert "Swelling" in last.inner_text() and "72.4 kg" in last.inner_text()
    assert "Ankles puffy by evening" in last.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "portal-home-390")

    report = record_model("symptoms").objects.get(patient=patient, reported_on=timezone.localdate())
    assert report.source == "patient" and report.swelling == 3 and report.weight_kg == Decimal("72.4")
    assert page.external_requests == []


def test_the_report_form_refuses_a_missing_answer_without_javascript(
    browser, live_server, patient_user, transactional_db
):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, patient_user.username, PASSWORD)
        page.goto("/me/report/")
        for code, score in ANSWERS.items():
            if code != "pain":
                page.locator(f"label[for='id_{code}_{score}']").click()
        page.get_by_role("button", name="Send my report").click()
        summary = page.get_by_role("alert")
        assert "Nerve pain: Please choose a number from 0 (none) to 10 (worst)." in summary.inner_text()
        assert page.locator("#id_swelling_3").is_checked(), "answers already given are kept"
        assert not record_model("symptoms").objects.exists()
    finally:
        context.close()
