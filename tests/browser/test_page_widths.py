"""The lab panel fits a phone (390 px) and a tablet (768 px): no sideways scrolling of the page,
every input on screen and named. The width checks the accessibility sweep runs on every page
(tests/browser/widths.py) are shown here to catch what they are for."""

from tests.browser.conftest import screenshot, sign_in
from tests.browser.widths import LAPTOP, PHONE, TABLET, width_problems
from tests.factories import PASSWORD

# Each visible control of the form: where it sits left to right, and the text of its label.
CONTROLS = """() => [...document.querySelectorAll("main input, main select, main textarea")]
    .filter(el => el.type !== "hidden" && el.offsetParent)
    .map(el => {
        const box = el.getBoundingClientRect();
        const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : (el.getAttribute("aria-label") || "");
        return {name: el.name, left: box.left, right: box.right, label};
    })"""


def test_the_lab_panel_fits_a_phone_and_a_tablet(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    for panel in ("fbc", "vegf"):
        for size in (PHONE, TABLET):
            page.set_viewport_size(size)
            page.goto(f"/patients/{patient.pk}/labs/panel/{panel}/")
            width = size["width"]
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{panel} at {width}"
            controls = page.evaluate(CONTROLS)
            assert len(controls) >= 15
            off_screen = [c["name"] for c in controls if c["left"] < 0 or c["right"] > width]
            unnamed = [c["name"] for c in controls if not c["label"]]
            assert (off_screen, unnamed) == ([], []), f"{panel} at {width} px"
            screenshot(page, f"lab-panel-{panel}-{width}")
        page.set_viewport_size(LAPTOP)
        assert width_problems(page, panel, phone_too=False) == []


def test_the_width_checks_find_a_page_too_wide_and_a_wrapped_navbar(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    assert width_problems(page, "patient", phone_too=True) == []
    assert page.viewport_size == LAPTOP  # put back after the phone check

    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<p id=\"wide\" style=\"width:500px\">x</p>')"
    )
    problems = width_problems(page, "patient", phone_too=True)
    assert len(problems) == 1 and problems[0].startswith("patient at 390 px: the page is")
    assert "#wide" in problems[0]
    page.evaluate(
        "document.querySelector('#wide').remove();"
        "Object.assign(document.querySelector('.navbar .btn').style, {width: '3rem', whiteSpace: 'normal'})"
    )
    assert width_problems(page, "patient", phone_too=False) == [
        "patient at 1366 px: navbar items on two lines: ['Sign out']"
    ]
