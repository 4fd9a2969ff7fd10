"""Accounts in Chromium: enrolling an authenticator app by QR code and signing in with its code
(computed from the device key as the app would), and the Content-Security-Policy: no page type
reports a violation and the charts are still drawn by plotly.js under it."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.conftest import totp_code
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_timeline import READY, build_follow_up
from tests.factories import PASSWORD
from tests.record_kinds import record_model
from tracker.accounts.clinic_admin import manager_grant

# Installed before any page script: every CSP violation and console error is kept on window.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def assert_clean(page, what: str) -> None:
    violations = page.evaluate("window.__violations")
    assert violations == [], f"{what}: {violations}"
    assert [e for e in page.console_errors if "Content Security Policy" in e] == [], what


def test_staff_enrol_an_authenticator_then_sign_in_with_its_code(
    watched, settings, patient, staff_user, transactional_db
):
    page = watched
    settings.POEMS_REQUIRE_2FA = True
    sign_in(page, "nurse", PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    screenshot(page, "accounts-2fa-enrol")
    assert_clean(page, "enrolment")

    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    page.locator("#id_code").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "nurse", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot(page, "accounts-2fa-verify")
    # The code of the next 30 s step (within the device's tolerance): the one just used is spent.
    page.locator("#id_code").fill(totp_code(device, drift=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=patient.full_name)).to_be_visible()
    assert page.url.endswith(f"/patients/{patient.pk}/")
    assert_clean(page, "patient page after verification")


def test_no_page_type_reports_a_policy_violation_and_charts_are_drawn(
    watched, patient, staff_user, consultant_user, patient_user, transactional_db
):
    page = watched
    build_follow_up(patient, staff_user)
    flag = record_model("flag").objects.filter(patient=patient).first()
    lab = record_model("lab").objects.filter(patient=patient).first()
    sign_in(page, "doctor", PASSWORD)
    assert_clean(page, "worklist")

    page.goto(f"/patients/{patient.pk}/")
    page.wait_for_selector(READY)
    assert page.locator(".js-chart.js-plotly-plot").count() >= 3
    assert_clean(page, "patient page")
    screenshot(page, "accounts-csp-patient-page")

    page.goto(f"/patients/{patient.pk}/summary/")
    page.wait_for_selector(READY)
    images = page.locator(".summary-charts img.chart-image")
    assert images.count() >= 1
    assert all(images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(images.count()))
    assert_clean(page, "summary")

    page.goto("/cohort/")
    page.wait_for_selector(READY)
    drawn = page.locator(".js-chart.js-plotly-plot")
    assert sorted(drawn.nth(i).get_attribute("data-figure") for i in range(drawn.count())) == [
        "cohort-data",
        "survival-data",
    ]
    assert_clean(page, "cohort")

    for path in (
        "/worklist/",
        "/patients/?q=Example",
        f"/flags/{flag.pk}/",
        f"/records/lab/{lab.pk}/history/",
        f"/patients/{patient.pk}/labs/panel/fbc/",
        f"/patients/{patient.pk}/visit/new/",
        "/imports/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_clean(page, path)

    manager_grant(user=consultant_user, clinics=[patient.clinic])
    page.goto("/manage/")
    expect(page.get_by_role("heading", name="Manage clinics and staff")).to_be_visible()
    assert_clean(page, "/manage/")
    screenshot(page, "accounts-manage")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "ada", PASSWORD)
    page.goto("/me/")
    page.wait_for_load_state("networkidle")
    assert_clean(page, "portal")
    page.goto("/me/report/")
    page.wait_for_load_state("networkidle")
    assert_clean(page, "portal report")
    assert page.external_requests == []
