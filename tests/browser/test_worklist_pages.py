"""A consultant pages through a long worklist, sees each patient's top flags with a count of the
rest, and acknowledges one flag in one step."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.flags.test_worklist_summary import _flagged
from tests.record_kinds import record_model
from tracker.models import FlagStatus, WorklistEntry


def test_consultant_pages_the_worklist_and_acknowledges_a_flag(
    page, live_server, consultant_user, clinic, transactional_db
):
    _flagged(clinic, 55, prefix="PG", rank=2, flags_each=5)
    sign_in(page, consultant_user.username, PASSWORD)
    page.goto(f"{live_server.url}/worklist/")
    assert "55 patients, page 1 of 2" in page.locator("main").inner_text()
    assert page.locator("tbody tr").count() == 50
    first = page.locator("tbody tr").first
    assert "and 2 more open flags" in first.inner_text()
    screenshot(page, "worklist-paged")
    first.get_by_text("Acknowledge…").first.click()
    first.get_by_placeholder("What you decided (required)").first.fill("Reviewed in clinic")
    first.get_by_role("button", name="Acknowledge").first.click()
    assert "Acknowledged R0" in page.locator("body").inner_text()
    flag = record_model("flag").objects.get(status=FlagStatus.ACKNOWLEDGED)
    assert WorklistEntry.objects.get(patient=flag.patient).unacknowledged == 4
    page.get_by_role("link", name="Next").click()
    assert page.locator("tbody tr").count() == 5
    assert page.external_requests == []
