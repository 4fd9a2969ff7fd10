"""What the charts say to people who cannot see them or see them poorly (issue 13): text
alternatives in plain words with units, type large enough to read, series that differ by more
than colour, a time axis that spans what is drawn, and a printed summary that keeps it all."""

from datetime import date, timedelta

import pytest

from tests.charts.chart_helpers import build, figure, panel, traces
from tests.rules.rules_builders import ife, imaging, lab, ncs, symptoms, treatment, vegf, visit
from tracker.charts import style
from tracker.charts.context import MIN_PAD_DAYS

ASCT = treatment("2021-03-01", "2021-03-20", anchor="2021-03-20", category="asct")


def everything():
    return (
        ASCT,
        vegf("2021-02-01", 6000, ref_high=1000),
        vegf("2021-09-01", 900, ref_high=1000),
        vegf("2021-09-01", 60, specimen="plasma", ref_high="96.2"),
        vegf("2021-10-01", 55, specimen="plasma", lab_name="LabB"),
        lab("2021-02-01", "platelets", 480, specimen="whole_blood", ref_low=150, ref_high=400),
        lab("2021-09-01", "hemoglobin", 130, specimen="whole_blood"),
        lab("2021-09-01", "flc_kappa", 12, ref_high="19.4"),
        lab("2021-09-01", "flc_kappa", 14, ref_high="19.4", lab_name="LabB"),
        lab("2021-09-01", "flc_lambda", 30, ref_high="26.3"),
        ife("2021-09-01", "negative"),
        visit("2021-09-01", (1, 3), incat=(1, 2), mrs=2, ecog=1, weight=70),
        ncs("2021-09-01", cmap="2.5"),
        ncs("2021-09-01", site="fibular_head", cmap="2.1"),
        ncs("2021-09-01", side="left", cmap="2.0"),
        ncs("2021-09-01", nerve="median", site="wrist", cmap="4.0"),
        ncs("2021-09-01", nerve="median", site="wrist", side="left", absent=True),
        symptoms("2021-09-01", weight=69, **{code: n % 5 + 1 for n, code in enumerate(ALL_ITEMS)}),
        imaging("2021-09-05", "PR"),
    )


ALL_ITEMS = (
    "numbness_tingling",
    "weakness",
    "pain",
    "swelling",
    "breathlessness",
    "fatigue",
    "skin_changes",
    "headache_vision",
    "sweating",
    "diarrhoea",
)


@pytest.fixture(scope="module")
def timeline():
    return build(*everything(), labels={ASCT.id: "HDM-ASCT"})


def drawn(timeline):
    return [p for p in timeline["panels"] if p["payload"]]


# Text alternatives ---------------------------------------------------------------------------


def test_text_alternatives_never_say_none_or_1_values(timeline):
    for p in drawn(timeline):
        assert "None" not in p["summary"], p["summary"]
        assert " 1 values" not in p["summary"], p["summary"]
        assert "click it" not in p["summary"]  # legend items explaining a marker are not series


def test_text_alternative_counts_dates_and_gives_the_latest_with_its_unit():
    one = build(vegf("2021-09-01", 900, ref_high=1000))
    assert panel(one, "vegf")["summary"] == "VEGF chart. Serum VEGF: 1 value on 2021-09-01, 900 pg/mL."
    two = build(vegf("2021-02-01", 1200), vegf("2021-09-01", "1309.9"))
    assert panel(two, "vegf")["summary"] == (
        "VEGF chart. Serum VEGF: 2 values from 2021-02-01 to 2021-09-01, latest 1,309.9 pg/mL."
    )


def test_every_number_in_a_text_alternative_has_its_unit_and_words_stay_words(timeline):
    counts = panel(timeline, "counts")["summary"]
    assert "Platelets: 1 value on 2021-02-01, 480 ×10⁹/L" in counts
    assert "Haemoglobin: 1 value on 2021-09-01, 130 g/L" in counts
    ncs_text = panel(timeline, "ncs")["summary"]
    assert "Median left, wrist: 1 value on 2021-09-01, absent." in ncs_text or "absent;" in ncs_text
    assert "absent mV" not in ncs_text
    assert "2.5 mV" in ncs_text
    para = panel(timeline, "paraprotein")["summary"]
    assert "IFE negative (○): 1 value on 2021-09-01, negative." in para  # a category, not "Serum"


def test_names_in_text_alternatives_are_not_html_escaped():
    timeline = build(vegf("2021-01-01", 900, lab_name="A&B lab"), vegf("2021-06-01", 800, lab_name="LabB"))
    text = panel(timeline, "vegf")["summary"]
    assert "A&B lab" in text and "&amp;" not in text


def test_strip_text_alternative_names_treatments_anchors_and_imaging_without_gaps():
    timeline = build(ASCT, imaging("2021-09-05", "PR"))
    text = panel(timeline, "treatments")["summary"]
    assert text == (
        "Treatments and imaging chart: High-dose therapy with ASCT 2021-03-01 to 2021-03-20; "
        "response anchor (T0) 2021-03-20; 1 imaging study on 2021-09-05."
    )
    only_imaging = panel(build(imaging("2021-09-05", "PR"), imaging("2022-01-05", "CR")), "treatments")["summary"]
    assert only_imaging == "Treatments and imaging chart: 2 imaging studies from 2021-09-05 to 2022-01-05."


# Annotation type -------------------------------------------------------------------------------


def font_sizes(fig: dict) -> list[tuple[str, int]]:
    """Every size of written annotation in a figure: annotations, shape labels, point text,
    the legend and the strip's lane names."""
    layout = fig["layout"]
    sizes = [(a["text"], a["font"]["size"]) for a in layout.get("annotations", [])]
    sizes += [(s["label"]["text"], s["label"]["font"]["size"]) for s in layout.get("shapes", []) if "label" in s]
    sizes += [(t["name"], t["textfont"]["size"]) for t in fig["data"] if "textfont" in t]
    sizes.append(("legend", layout["legend"]["font"]["size"]))
    if fig["data"] and fig["data"][0].get("name") == "Treatments":
        sizes.append(("lanes", layout["yaxis"]["tickfont"]["size"]))
    return sizes


def test_annotations_are_at_least_12_px(timeline):
    for p in drawn(timeline):
        for text, size in font_sizes(p["payload"]["figure"]):
            assert size >= 12, (p["id"], text, size)


def test_band_and_limit_words_are_in_the_legend_not_on_the_plot(timeline):
    for key in ("vegf", "counts", "paraprotein"):
        fig = figure(timeline, key)
        assert not any("label" in s for s in fig["layout"]["shapes"]), key
    names = [t["name"] for t in figure(timeline, "counts")["data"] if t.get("x") == [None]]
    assert "Platelets reference 150–400 ×10⁹/L" in names
    names = [t["name"] for t in figure(timeline, "paraprotein")["data"] if t.get("x") == [None]]
    assert names[-2:] == ["κ upper limit 19.4 mg/L", "λ upper limit 26.3 mg/L"]


# Distinct styles ---------------------------------------------------------------------------------


def looks(fig: dict) -> list[tuple[str, str, str, str]]:
    """(name, colour, dash, shape) of each series drawn with a line."""
    found = []
    for t in fig["data"]:
        if "lines" not in t.get("mode", "") or t.get("x") == [None]:
            continue
        symbol = t["marker"]["symbol"]
        symbol = symbol if isinstance(symbol, str) else "flagged"
        found.append((t["name"], t["line"]["color"], t["line"].get("dash", "solid"), symbol))
    return found


@pytest.mark.parametrize("key", ["vegf", "counts", "paraprotein", "scores", "ncs", "symptoms"])
def test_series_in_one_panel_differ_by_more_than_colour(timeline, key):
    found = looks(figure(timeline, key))
    assert len(found) >= 2, found
    without_colour = [(dash, symbol) for _, _, dash, symbol in found]
    assert len(set(without_colour)) == len(found), found  # told apart by dash or shape alone
    with_colour = [look[1:] for look in found]
    assert len(set(with_colour)) == len(found), found


def test_two_sites_of_one_nerve_and_side_look_different(timeline):
    found = {name: look for name, *look in looks(figure(timeline, "ncs"))}
    assert found["Peroneal right, ankle"] != found["Peroneal right, fibular head"]
    assert found["Peroneal right, ankle"][0] == found["Peroneal left, ankle"][0]  # a nerve keeps its colour
    assert found["Peroneal left, ankle"][2].endswith("-open")


def test_series_shapes_are_never_a_flags_shape():
    flag_shapes = {look["symbol"] for look in style.FLAG_STYLE.values()}
    assert not flag_shapes & set(style.SYMBOLS)


# The shared time axis --------------------------------------------------------------------------


def pad(first: str, last: str) -> timedelta:
    return timedelta(days=max(MIN_PAD_DAYS, (date.fromisoformat(last) - date.fromisoformat(first)).days // 40))


def expected(first: str, last: str) -> list[str]:
    p = pad(first, last)
    return [(date.fromisoformat(first) - p).isoformat(), (date.fromisoformat(last) + p).isoformat()]


def test_the_axis_ends_at_the_last_drawn_point_not_today():
    timeline = build(vegf("2021-02-01", 900), vegf("2021-09-01", 800), as_of="2026-06-30")
    assert timeline["x_range"] == expected("2021-02-01", "2021-09-01")


def test_records_no_panel_draws_do_not_stretch_the_axis():
    timeline = build(
        vegf("2021-02-01", 900),
        vegf("2021-09-01", 800),
        lab("2019-01-01", "hematocrit", "0.4"),  # not charted
        ncs("2023-01-01", kind="sensory", cmap="10"),  # sensory: not charted
        symptoms("2018-01-01", swelling=0),  # all zeros: not drawn
        visit("2024-01-01"),  # no scores, no weight
    )
    assert timeline["x_range"] == expected("2021-02-01", "2021-09-01")


def test_an_ongoing_treatment_reaches_today_on_purpose():
    timeline = build(treatment("2021-01-01", anchor="2021-04-01"), vegf("2021-02-01", 900), as_of="2022-06-30")
    assert timeline["x_range"] == expected("2021-01-01", "2022-06-30")


def test_every_drawn_point_lies_inside_the_axis_and_the_ends_are_drawn(timeline):
    start, end = timeline["x_range"]
    xs = [x for p in drawn(timeline) for t in p["payload"]["figure"]["data"] for x in t.get("x", []) if x]
    xs = [x for x in xs if isinstance(x, str)]  # the strip's bars are widths; their bases below
    xs += [b for t in figure(timeline, "treatments")["data"] for b in t.get("base", [])]
    assert start < min(xs) and max(xs) < end
    assert [start, end] == expected(min(xs), "2021-10-01")  # the last plasma VEGF is the last drawn


def test_a_patient_with_nothing_drawn_gets_a_short_span_around_today():
    timeline = build(lab("2019-01-01", "hematocrit", "0.4"), as_of="2026-06-30")
    assert timeline["x_range"] == expected("2026-06-30", "2026-06-30")


# The printed summary ----------------------------------------------------------------------------


def test_the_summary_keeps_every_symptom_series_drawn():
    records = (symptoms("2021-09-01", swelling=5, fatigue=1), symptoms("2021-10-01", swelling=6, fatigue=2))
    screen = traces(build(*records), "symptoms")
    assert {t["name"]: t.get("visible", True) for t in screen}["Tiredness"] == "legendonly"
    printed = traces(build(*records, compact=True), "symptoms")
    assert {t["name"]: t.get("visible", True) for t in printed} == {"Swelling": True, "Tiredness": True}


def test_the_summary_writes_no_words_on_the_bands(timeline):
    printed = build(*everything(), compact=True)
    for p in drawn(printed):
        fig = p["payload"]["figure"]
        assert not any("label" in s for s in fig["layout"].get("shapes", [])), p["id"]


def test_the_summary_legend_writes_a_range_on_two_lines_to_leave_the_plot_its_width():
    printed = build(
        lab("2021-02-01", "platelets", 480, specimen="whole_blood", ref_low=150, ref_high=400), compact=True
    )
    names = [t["name"] for t in figure(printed, "counts")["data"] if t.get("x") == [None]]
    assert names == ["Platelets<br>reference 150–400 ×10⁹/L"]


def test_the_summary_figure_is_tall_enough_for_its_two_line_legend_entries():
    records = (
        ASCT,
        vegf("2021-02-01", 900, ref_high=1000),
        vegf("2021-09-01", 500, ref_high=1000),
        vegf("2021-10-01", 600, lab_name="LabB", ref_high=1000),
    )
    fig = figure(build(*records, compact=True), "vegf")
    lines = sum(1 + t["name"].count("<br>") for t in fig["data"] if t.get("showlegend", True) is not False)
    margin = fig["layout"]["margin"]
    assert lines == 5  # two labs, the nadir, and the range on two lines
    assert fig["layout"]["height"] - margin["t"] - margin["b"] >= 19 * lines
