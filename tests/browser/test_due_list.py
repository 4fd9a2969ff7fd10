"""A consultant sees next month's work on the due list, follows a row to the patient's plan and
changes one item there."""

import datetime

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.schedule.conftest import add_frontline


def test_consultant_reads_the_due_list_and_changes_a_plan(page, consultant_user, patient, transactional_db):
    end = datetime.date.today() - datetime.timedelta(days=200)
    add_frontline(patient, consultant_user, start=end - datetime.timedelta(days=120), end=end)
    sign_in(page, consultant_user.username, PASSWORD)
    page.goto("/due/")
    expect(page.get_by_role("heading", name="Due list")).to_be_visible()
    expect(page.get_by_role("cell", name="Full blood count")).to_be_visible()
    screenshot(page, "due_list")

    page.get_by_role("link", name="Example, Ada").first.click()
    expect(page.get_by_role("heading", name="Follow-up plan")).to_be_visible()
    page.locator("#plan").screenshot(path=str(screenshot(page, "patient_page_plan").with_name("plan_panel.png")))
    page.locator("#plan").get_by_role("link", name="Change").nth(7).click()
    page.get_by_label("Interval in surveillance (months)").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#plan")).to_contain_text("every 6 months")
    expect(page.locator("#plan")).to_contain_text("patient plan")


def test_patient_sees_next_tests_on_a_phone(page, staff_user, patient, patient_user, transactional_db):
    end = datetime.date.today() - datetime.timedelta(days=200)
    add_frontline(patient, staff_user, start=end - datetime.timedelta(days=120), end=end)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, patient_user.username, PASSWORD)
    section = page.get_by_role("region", name="Your next tests and visit")
    expect(section).to_contain_text("Now due:")
    expect(section).to_contain_text("a nerve conduction test")
    section.screenshot(path=str(screenshot(page, "portal_home_plan").with_name("portal_plan_section.png")))
