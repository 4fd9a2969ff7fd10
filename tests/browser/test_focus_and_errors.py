"""Keyboard use on staff pages: a solid focus outline of at least 3:1 in the navbar and on the
page, the current navbar item marked and shown, and a form's error summary that takes focus
and moves it to the field each error names."""

import re

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The colour the outline is drawn against: an outline drawn outside the element (offset >= 0)
# sits on the focus ring (box-shadow) when there is one, else on the parent's background, never
# on the element's own background (a blue button's outline is not seen against its blue).
FOCUS_STYLE = """(el) => {
    const style = getComputedStyle(el);
    const outside = parseFloat(style.outlineOffset) >= 0;
    const ring = style.boxShadow !== "none" ? style.boxShadow.match(/rgba?\\([^)]*\\)/) : null;
    let box = outside ? el.parentElement : el, background = ring && outside ? ring[0] : "rgba(0, 0, 0, 0)";
    while (box && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
        background = getComputedStyle(box).backgroundColor;
        box = box.parentElement;
    }
    if (/rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) background = getComputedStyle(document.body).backgroundColor;
    return {
        style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,
        background, text: el.textContent.trim(), visible: el.matches(":focus-visible"),
    };
}"""


def tab_to(page, predicate, limit: int = 40) -> dict:
    """Press Tab until the focused element satisfies `predicate`; returns its focus style."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        info = page.evaluate(FOCUS_STYLE, focused)
        info["in_nav"] = page.evaluate("(el) => !!el.closest('nav.navbar')", focused)
        info["in_main"] = page.evaluate("(el) => !!el.closest('main')", focused)
        if predicate(info):
            return info
    raise AssertionError("never reached the element by Tab")


def test_focus_outline_is_solid_and_contrasting_in_the_navbar_and_on_the_page(
    page, live_server, staff_user, patient, transactional_db
):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"{live_server.url}/patients/")
    nav = tab_to(page, lambda info: info["in_nav"] and info["text"] == "Patients")
    assert nav["visible"] and nav["style"] == "solid" and nav["width"] >= 3
    assert contrast(nav["color"], nav["background"]) >= 3, nav
    screenshot(page, "focus-navbar")
    link = tab_to(page, lambda info: info["in_main"])
    assert link["visible"] and link["style"] == "solid" and link["width"] >= 3
    assert contrast(link["color"], link["background"]) >= 3, link
    screenshot(page, "focus-page")


def test_the_current_navbar_item_is_marked_and_shown(page, live_server, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"{live_server.url}/worklist/")
    current = page.locator("nav.navbar a[aria-current]")
    assert current.count() == 1
    assert current.inner_text() == "Worklist" and current.get_attribute("aria-current") == "page"
    underline = "(el) => getComputedStyle(el).textDecorationLine"
    assert page.evaluate(underline, current.element_handle()) == "underline"
    other = page.locator("nav.navbar a.nav-link", has_text="Due")
    assert page.evaluate(underline, other.element_handle()) == "none"
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    assert page.locator("nav.navbar a[aria-current]").inner_text() == "Patients"
    assert page.title() == "Patient record · Ada Example (P001) · POEMS Tracker"


def test_error_summary_takes_focus_and_its_links_move_focus_to_the_field(
    page, live_server, staff_user, patient, transactional_db
):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"{live_server.url}/patients/{patient.pk}/visit/new/")
    page.get_by_label("ONLS arm").fill("9")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert page.title().startswith("Error: Add a visit · Ada Example (P001)")
    summary = page.locator("[data-error-summary]")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert summary.get_by_role("link").count() == 2  # visit date (required) and ONLS arm
    screenshot(page, "error-summary")
    summary.get_by_role("link", name=re.compile("ONLS arm")).click()
    assert page.evaluate("() => document.activeElement.id") == "id_onls_arm"
    described = page.locator("#id_onls_arm").get_attribute("aria-describedby")
    assert "id_onls_arm_error" in described.split()
    assert "between 0 and 5" in page.locator("#id_onls_arm_error").inner_text()
