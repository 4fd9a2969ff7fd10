"""The patient timeline, the printable summary and the cohort in Chromium: charts drawn by the
plotly.js the server ships, hover labels with units, number tables, one x range for every
panel, flagged points that open their flag, phone width, and nothing fetched from elsewhere."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.record_kinds import record_model
from tracker.services.flags import flags_refresh
from tracker.services.labs import lab_result_record
from tracker.services.records import ncs_study_record, symptom_report_record, treatment_record, visit_record

READY = "html[data-charts-ready=true]"
START = datetime.date(2024, 1, 8)
DAY = datetime.timedelta(days=1)
D = Decimal


def build_follow_up(patient, actor, *, months: int = 18) -> None:
    """An ASCT, then monthly VEGF, blood counts, visits and symptom reports, a nerve study every
    six months; VEGF falls to a nadir and rises again over the last two results (R1, then R1c)."""
    quiet = {"patient": patient, "actor": actor, "evaluate": False}
    treatment_record(**quiet, category="asct", regimen="HDM-ASCT", start_date=START, end_date=START + DAY * 2)
    lab_result_record(**quiet, analyte="vegf", specimen="serum", collected_on=START - DAY * 10, value="5200")
    for month in range(1, months + 1):
        day = START + DAY * (30 * month)
        vegf = 5200 * 0.55**month + 600 if month < months - 1 else 1100 + 500 * (month - months + 2)
        lab_result_record(**quiet, analyte="vegf", specimen="serum", collected_on=day, value=f"{vegf:.1f}")
        lab_result_record(**quiet, analyte="platelets", collected_on=day, value=str(250 + 5 * month))
        lab_result_record(**quiet, analyte="hemoglobin", collected_on=day, value="13.5", unit="g/dL")
        visit_record(**quiet, visit_date=day, onls_arm=1, onls_leg=3, incat_arm=1, incat_leg=2, mrs=2,
                     weight_kg=D("71.5"))  # fmt: skip
        symptom_report_record(
            **quiet, reported_on=day + DAY, swelling=month % 4, numbness_tingling=3, weight_kg=D("71")
        )
        if month % 6 == 0:
            rows = [
                {"kind": "motor", "nerve": "peroneal", "side": "right", "site": "ankle", "cmap_amp_mv": D("2.5")},
                {"kind": "motor", "nerve": "median", "side": "left", "site": "wrist", "cmap_amp_mv": D("4.1")},
            ]
            ncs_study_record(**quiet, study_date=day, lab="Neuro lab", rows=rows)
    flags_refresh(patient)


@pytest.fixture
def relapsing_patient(patient, staff_user, transactional_db):
    build_follow_up(patient, staff_user)
    assert record_model("flag").objects.filter(patient=patient, rule="R1c").exists()
    return patient


def open_timeline(page, user, patient):
    sign_in(page, user.username, PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    page.wait_for_selector(READY)


def point_centre(page, panel: str, index: int) -> tuple[float, float]:
    """Viewport coordinates of point `index` of the first trace of `panel`, scrolled into view."""
    page.locator(f"#panel-{panel} .js-plotly-plot").scroll_into_view_if_needed()
    box = page.locator(f"#panel-{panel} .scatterlayer .trace").first.locator("path.point").nth(index).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def x_starts(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('#timeline .js-plotly-plot')].map(el => String(el._fullLayout.xaxis.range[0]).slice(0, 10))"
    )


def test_timeline_draws_every_panel_with_units_tables_and_shared_range(page, consultant_user, relapsing_patient):
    open_timeline(page, consultant_user, relapsing_patient)
    plots = page.locator("#timeline .js-plotly-plot")
    assert plots.count() == 6  # treatments, VEGF, counts, scores, NCS, symptoms; no paraprotein
    assert "No paraprotein or light chains recorded." in page.locator("#panel-paraprotein").inner_text()
    vegf = page.locator("#panel-vegf .js-plotly-plot")
    assert vegf.evaluate("el => el.data.length") >= 2
    assert "pg/mL" in vegf.evaluate("el => el.data[0].hovertemplate")

    # Hover the first VEGF point and read Plotly's hover label.
    page.mouse.move(*point_centre(page, "vegf", 0))
    label = page.locator("#panel-vegf .hoverlayer .hovertext")
    label.wait_for()
    text = label.text_content()
    assert "pg/mL" in text and "5,200" in text and "2023-12-29" in text

    # The numbers behind the chart, in a table that opens and closes.
    details = page.locator("#panel-vegf details")
    table = details.locator("table")
    assert table.count() == 0
    details.locator("summary").click()
    expect(table).to_be_visible()  # built by the page's script when the panel's table first opens
    assert "Serum VEGF (pg/mL)" in table.locator("thead").inner_text()
    assert "RED R1c" in table.inner_text()
    details.locator("summary").click()
    expect(table).to_be_hidden()

    # One x range for every panel: the range buttons move them all.
    before = x_starts(page)
    assert len(set(before)) == 1
    page.get_by_role("button", name="1 year").click()
    page.wait_for_function(
        "() => new Set([...document.querySelectorAll('#timeline .js-plotly-plot')]"
        ".map(el => String(el._fullLayout.xaxis.range[0]).slice(0, 10))).size === 1"
        f" && String(document.querySelector('#panel-vegf .js-plotly-plot')._fullLayout.xaxis.range[0]).slice(0, 10) !== '{before[0]}'"
    )
    assert page.get_by_role("button", name="1 year").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="All").click()
    page.wait_for_function(
        f"() => String(document.querySelector('#panel-counts .js-plotly-plot')._fullLayout.xaxis.range[0]).startsWith('{before[0]}')"
    )
    screenshot(page, "timeline-1366")
    assert page.external_requests == []


def test_clicking_a_flagged_point_opens_its_flag(page, consultant_user, relapsing_patient):
    open_timeline(page, consultant_user, relapsing_patient)
    flag = record_model("flag").objects.get(patient=relapsing_patient, rule="R1c")
    url = f"/flags/{flag.pk}/"
    vegf = page.locator("#panel-vegf .js-plotly-plot")
    index = vegf.evaluate(f"el => el.data[0].customdata.indexOf('{url}')")
    assert index >= 0
    x, y = point_centre(page, "vegf", index)
    page.mouse.move(x, y)
    page.locator("#panel-vegf .hoverlayer .hovertext").wait_for()
    assert "RED R1c" in page.locator("#panel-vegf .hoverlayer").text_content()
    page.mouse.click(x, y)
    page.wait_for_url(f"**{url}")
    assert page.external_requests == []


def test_timeline_fits_a_phone(page, consultant_user, relapsing_patient):
    page.set_viewport_size({"width": 390, "height": 844})
    open_timeline(page, consultant_user, relapsing_patient)
    timeline = page.locator("#timeline")
    assert timeline.evaluate("el => el.getBoundingClientRect().right <= 390 && el.scrollWidth <= el.clientWidth")
    widths = page.evaluate(
        "[...document.querySelectorAll('#timeline .js-plotly-plot')].map(el => el.getBoundingClientRect().width)"
    )
    assert all(200 < w <= 390 for w in widths)
    details = page.locator("#panel-symptoms details")
    details.locator("summary").click()
    wrapper = details.locator(".table-responsive")
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls, the timeline does not
    assert timeline.evaluate("el => el.scrollWidth <= el.clientWidth")
    screenshot(page, "timeline-390")
    assert page.external_requests == []


def test_summary_prints_charts_as_images(page, staff_user, relapsing_patient):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"/patients/{relapsing_patient.pk}/summary/")
    page.wait_for_selector(READY)
    images = page.locator(".summary-charts img.chart-image")
    assert images.count() == 5
    assert all(images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(images.count()))
    alts = [images.nth(i).get_attribute("alt") for i in range(images.count())]
    assert not [alt for alt in alts if "None" in alt or " 1 values" in alt]
    symptoms = next(alt for alt in alts if alt.startswith("Symptoms and weight"))
    assert "Numbness/tingling" in symptoms and "Swelling" in symptoms  # every symptom series is printed
    assert page.get_by_role("button", name="Print").is_enabled()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1047})  # A4 less 10 mm margins, at 96 dpi
    expect(page.locator("nav")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1047  # one sheet
    screenshot(page, "summary-print")
    page.emulate_media(media="screen")
    assert page.external_requests == []


def test_cohort_shows_each_patient_against_baseline(page, consultant_user, relapsing_patient):
    sign_in(page, consultant_user.username, PASSWORD)
    page.get_by_role("link", name="Cohort").click()
    page.wait_for_selector(READY)
    plot = page.locator("[data-figure='cohort-data'].js-plotly-plot")
    assert plot.evaluate("el => el.data.filter(t => t.name === 'P001').length") == 1
    survival = page.locator("[data-figure='survival-data'].js-plotly-plot")
    assert survival.evaluate("el => el.data.length") >= 1
    assert (
        plot.evaluate("el => el.data.find(t => t.name === 'P001').customdata[0]")
        == f"/patients/{relapsing_patient.pk}/"
    )
    assert "relapsing" in page.locator("table.table-record").inner_text()
    assert "at risk" in page.locator("#at-risk").inner_text().lower()
    screenshot(page, "cohort-1366")
    assert page.external_requests == []


ANNOTATION_CHECK = """() => {
  const out = {small: [], clipped: [], overlaps: []};
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const plot of document.querySelectorAll('#timeline .js-plotly-plot')) {
    const id = plot.closest('.timeline-panel').id;
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const texts = [...plot.querySelectorAll(
      '.infolayer .annotation-text, .legend text.legendtext, .textpoint text, .barlayer text, .yaxislayer-above text'
    )].filter(t => t.textContent.trim() && (id === 'panel-treatments' || !t.closest('.yaxislayer-above')));
    const boxes = texts.map(t => ({text: t.textContent, box: t.getBoundingClientRect(),
                                   size: parseFloat(getComputedStyle(t).fontSize)}));
    for (const {text, box, size} of boxes) {
      if (size < 12) out.small.push([id, text, size]);
      if (box.left < svg.left - 1 || box.right > svg.right + 1 || box.top < svg.top - 1 || box.bottom > svg.bottom + 1)
        out.clipped.push([id, text]);
    }
    const points = [...plot.querySelectorAll('.scatterlayer path.point')].map(p => p.getBoundingClientRect());
    const words = boxes.filter(b => !b.text.match(/^[\\d,.]+$/));  // tick numbers sit beside, not on, points
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++)
        if (overlap(words[i].box, words[j].box)) out.overlaps.push([id, words[i].text, words[j].text]);
      if (points.some(p => overlap(words[i].box, p)) && !plot.querySelector('.textpoint'))
        out.overlaps.push([id, words[i].text, 'a point']);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_chart_words_are_large_unclipped_and_clear_of_points(page, consultant_user, relapsing_patient, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_timeline(page, consultant_user, relapsing_patient)
    found = page.evaluate(ANNOTATION_CHECK)
    assert found == {"small": [], "clipped": [], "overlaps": []}
    for label in page.locator("#timeline [role=img]").all():
        text = label.get_attribute("aria-label")
        assert "None" not in text and " 1 values" not in text, text
    assert "Serum VEGF: 19 values from 2023-12-29 to 2025-07-01, latest 2,100 pg/mL" in (
        page.locator("#panel-vegf [role=img]").get_attribute("aria-label")
    )
    # The shared axis ends a little after the last thing drawn (the symptom report of month 18),
    # not at today: no treatment goes on.
    last = (START + DAY * (30 * 18 + 1)).isoformat()
    ends = page.evaluate(
        "[...document.querySelectorAll('#timeline .js-plotly-plot')].map(el => String(el._fullLayout.xaxis.range[1]).slice(0, 10))"
    )
    assert len(set(ends)) == 1 and last < ends[0] <= (START + DAY * (30 * 18 + 1 + 30)).isoformat()
    if width == 390:
        screenshot(page, "timeline-390-words")
