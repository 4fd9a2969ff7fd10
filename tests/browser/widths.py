"""Width checks the accessibility sweep runs on every page it visits (and the lab panel test):
no horizontal scrolling of the page (scrollWidth <= innerWidth; a wide table scrolls inside its
own focusable .table-responsive box instead), and at laptop width every navbar link, name and
button on one line."""

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1366, "height": 900}

# The page's own width against the window's, and what sticks out past the window's right edge
# (outside a .table-responsive box, which scrolls by itself), named for the failure message.
OVERFLOW = """() => {
    const width = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        if (el.closest(".table-responsive") && !el.matches(".table-responsive")) continue;
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1) {
            const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/).join(".") : "";
            out.push(`${el.id ? "#" + el.id : el.tagName.toLowerCase() + (classes ? "." + classes : "")} (to ${Math.round(box.right)} px)`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, inner: width, out: out.slice(0, 6)};
}"""
# The navbar's links, user name and buttons whose words sit on more than one line.
NAVBAR_WRAPPED = """() => {
    const wrapped = [];
    for (const el of document.querySelectorAll(".navbar .nav-link, .navbar .navbar-text, .navbar .btn, .navbar-brand")) {
        if (!el.offsetParent) continue;
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) wrapped.push(el.textContent.trim());
    }
    return wrapped;
}"""


def settle(page, tries: int = 20) -> None:
    """After the window changes size, give what lays itself out again on a resize (the charts,
    drawn responsive) up to two seconds to fit; a page that still does not fit is reported as
    it is. (Polled from here: the pages' script policy forbids Playwright's in-page polling.)"""
    for _ in range(tries):
        if page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            return
        page.wait_for_timeout(100)


def overflow(page, label: str) -> list[str]:
    found = page.evaluate(OVERFLOW)
    if found["scroll"] <= found["inner"]:
        return []
    return [
        f"{label}: the page is {found['scroll']} px wide in a {found['inner']} px window; past the edge: {found['out']}"
    ]


def navbar_wrapped(page, label: str) -> list[str]:
    wrapped = page.evaluate(NAVBAR_WRAPPED)
    return [f"{label}: navbar items on two lines: {wrapped}"] if wrapped else []


def width_problems(page, name: str, *, phone_too: bool) -> list[str]:
    """The page as it is (with the navbar check at laptop width), then, if `phone_too`, at
    390 px; the window is left at the size it had."""
    size = page.viewport_size
    problems = overflow(page, f"{name} at {size['width']} px")
    if size["width"] >= LAPTOP["width"]:
        problems += navbar_wrapped(page, f"{name} at {size['width']} px")
    if phone_too:
        page.set_viewport_size(PHONE)
        settle(page)
        problems += overflow(page, f"{name} at {PHONE['width']} px")
        page.set_viewport_size(size)
    return problems
