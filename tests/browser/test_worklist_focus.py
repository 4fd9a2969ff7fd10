"""Acknowledging from the worklist keeps the consultant's place: the page comes back at the next
patient's row with the keyboard focus on it, and a RED acknowledges the AMBER listed under it."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PatientFactory
from tests.flags.test_flags_reading import relapse
from tests.record_kinds import record_model
from tracker.models import FlagStatus


def test_acknowledging_lands_on_the_next_row_with_focus(
    page, live_server, consultant_user, staff_user, clinic, transactional_db
):
    patients = [
        PatientFactory(clinic=clinic, mrn=f"F{i:03d}", given_name="Given", family_name=f"Family{i:02d}")
        for i in range(12)
    ]
    for patient in patients:
        relapse(patient, staff_user)
    page.set_viewport_size({"width": 1366, "height": 700})
    sign_in(page, consultant_user.username, PASSWORD)
    page.goto(f"{live_server.url}/worklist/")
    rows = page.locator("tbody tr[data-worklist-row]")
    assert rows.count() == 12
    third, fourth = rows.nth(2), rows.nth(3)
    third_id, fourth_id = third.get_attribute("id"), fourth.get_attribute("id")
    assert "confirmed by the RED R1c above" in third.inner_text()

    third.get_by_text("Acknowledge…").first.click()
    third.get_by_placeholder("What you decided (required)").first.fill("Restaging booked")
    third.get_by_role("button", name="Acknowledge").first.click()
    page.wait_for_url(f"**/worklist/#{fourth_id}")
    page.wait_for_function("document.readyState === 'complete'")

    assert page.url.endswith(f"/worklist/#{fourth_id}")
    assert page.evaluate("document.activeElement.id") == fourth_id
    assert page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()"
    )
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    screenshot(page, "worklist-focus-after-acknowledge")
    acted = record_model("flag").objects.filter(patient_id=int(third_id.removeprefix("wl-")))
    assert set(acted.values_list("rule", "status")) == {
        ("R1", FlagStatus.ACKNOWLEDGED),
        ("R1c", FlagStatus.ACKNOWLEDGED),
    }
    red = acted.get(rule="R1c")
    page.goto(f"{live_server.url}/flags/{red.pk}/")
    main = page.locator("main").inner_text()
    assert "Upper limit of normal for serum VEGF CFG_VEGF_ULN_SERUM" in main and "1,000 pg/mL" in main
    screenshot(page, "flag-red-confirming-amber")
    assert page.external_requests == []
