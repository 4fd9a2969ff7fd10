"""Flagged points: marked by shape and colour (never colour alone), named in the hover, and
linked to their flag; only the point the flag is about, never its context."""

from datetime import date

from tests.charts.chart_helpers import build, figure, panel, trace, traces
from tests.rules.rules_builders import imaging, lab, symptoms, treatment, vegf, visit
from tracker.charts import FlagMark
from tracker.charts.style import FLAG_STYLE

T0 = treatment("2021-01-01", "2021-02-01", anchor="2021-02-01", category="asct")


def relapsing_vegf():
    """Nadir 600, then 1,100 (R1 AMBER) and 1,300 (R1c RED)."""
    return (
        T0,
        vegf("2020-12-15", 5000, ref_high=1000),
        vegf("2021-06-01", 600, ref_high=1000),
        vegf("2021-12-01", 1100, ref_high=1000),
        vegf("2022-06-01", 1300, ref_high=1000),
    )


def mark(pk, rule, severity, day, evidence, status="open") -> FlagMark:
    return FlagMark(
        pk, rule, severity, status, date.fromisoformat(day), f"{rule} explanation", evidence, f"/flags/{pk}/"
    )


def test_flagged_points_change_shape_colour_and_size_and_link_to_the_flag():
    serum = trace(build(*relapsing_vegf()), "vegf", "Serum VEGF")
    marker = serum["marker"]
    assert marker["symbol"] == ["circle", "circle", FLAG_STYLE["amber"]["symbol"], FLAG_STYLE["red"]["symbol"]]
    assert marker["color"][2:] == [FLAG_STYLE["amber"]["color"], FLAG_STYLE["red"]["color"]]
    assert marker["size"][2] > marker["size"][0]
    assert serum["customdata"][:2] == [None, None]
    assert all(url.startswith("/flags/") for url in serum["customdata"][2:])


def test_hover_names_the_flag_with_its_symbol():
    serum = trace(build(*relapsing_vegf()), "vegf", "Serum VEGF")
    assert "▲ AMBER R1" in serum["text"][2]
    assert "◆ RED R1c" in serum["text"][3]
    assert "Click the point" in serum["text"][3]


def test_the_nadir_and_the_first_of_two_results_are_context_not_the_finding():
    serum = trace(build(*relapsing_vegf()), "vegf", "Serum VEGF")
    # R1c's evidence holds both rising results; only the confirming one carries R1c.
    assert "R1c" not in serum["text"][2] and "R1c" in serum["text"][3]
    assert "AMBER" not in serum["text"][1]  # the nadir


def test_flag_marker_legend_entries_explain_the_shapes():
    fig = figure(build(*relapsing_vegf()), "vegf")
    names = [t["name"] for t in fig["data"] if t.get("x") == [None] and t["legendgroup"].startswith("flag-")]
    assert names == ["RED flag (◆, click it)", "AMBER flag (▲, click it)"]


def test_a_visit_flag_marks_only_the_scales_in_its_evidence():
    first, second = visit("2021-06-01", (1, 2), mrs=1), visit("2021-12-01", (1, 4), mrs=1)
    flag = mark(7, "R4", "amber", "2021-12-01", {"visit_ids": [second.id], "scores": [{"scale": "ONLS"}]})
    timeline = build(T0, first, second, flags=[flag])
    assert trace(timeline, "scores", "ONLS total (0–12)")["customdata"] == [None, "/flags/7/"]
    assert "customdata" not in trace(timeline, "scores", "ONLS leg (0–7)")
    assert "customdata" not in trace(timeline, "scores", "mRS (0–6)")


def test_a_symptom_flag_marks_only_its_item_on_the_report_that_raised_it():
    before, after = symptoms("2021-06-01", swelling=0, fatigue=1), symptoms("2021-07-01", swelling=4, fatigue=3)
    flag = mark(3, "R6", "amber", "2021-07-01", {"symptom_ids": [before.id, after.id], "items": [{"item": "swelling"}]})
    timeline = build(before, after, flags=[flag])
    assert trace(timeline, "symptoms", "Swelling")["customdata"] == [None, "/flags/3/"]
    assert "customdata" not in trace(timeline, "symptoms", "Tiredness")


def test_a_weight_flag_marks_the_weight_not_the_scores():
    ref, now = visit("2021-01-01", (1, 1), weight=70), visit("2021-03-01", (1, 1), weight=75)
    flag = mark(4, "R7", "amber", "2021-03-01", {"visit_ids": [ref.id, now.id], "weights_kg": ["70", "75"]})
    timeline = build(ref, now, flags=[flag])
    assert trace(timeline, "symptoms", "Weight at clinic")["customdata"] == [None, "/flags/4/"]
    assert "customdata" not in trace(timeline, "scores", "ONLS total (0–12)")


def test_radiological_progression_is_marked_on_the_imaging_strip():
    pd_study = imaging("2022-01-01", "PD", new_lesion=True)
    timeline = build(T0, imaging("2021-01-01", "baseline"), pd_study)
    strip = [t for t in traces(timeline, "treatments") if t["name"] == "Imaging"][0]
    assert strip["marker"]["symbol"] == ["circle-open", FLAG_STYLE["red"]["symbol"]]
    assert strip["customdata"][0] is None and strip["customdata"][1].startswith("/flags/")
    assert "RED R8" in strip["hovertext"][1]


def test_the_highest_severity_decides_the_marker_and_the_link():
    result = lab("2021-06-01", "platelets", 500, specimen="whole_blood", ref_high=400)
    flags = [
        mark(1, "R13", "info", "2021-06-01", {"lab_result_ids": [result.id]}),
        mark(2, "R2", "amber", "2021-06-01", {"lab_result_ids": [result.id]}),
    ]
    platelets = trace(build(result, flags=flags), "counts", "Platelets")
    assert platelets["marker"]["symbol"] == [FLAG_STYLE["amber"]["symbol"]]
    assert platelets["customdata"] == ["/flags/2/"]
    assert "AMBER R2" in platelets["text"][0] and "INFO R13" in platelets["text"][0]


def test_acknowledged_flags_say_so():
    result = lab("2021-06-01", "platelets", 500, specimen="whole_blood")
    flag = mark(5, "R2", "amber", "2021-06-01", {"lab_result_ids": [result.id]}, status="acknowledged")
    platelets = trace(build(result, flags=[flag]), "counts", "Platelets")
    assert "AMBER R2 (acknowledged)" in platelets["text"][0]


def test_flags_in_the_table_link_to_the_flag_page():
    table = panel(build(*relapsing_vegf()), "vegf")["payload"]["table"]
    newest = table["rows"][0]
    assert newest[0] == "2022-06-01"
    assert newest[1][1][0][0].startswith("/flags/") and newest[1][1][0][1] == "RED R1c"


def test_user_text_in_hover_labels_is_escaped():
    result = vegf("2021-01-01", 900, lab_name="<b>Lab</b>")
    serum = trace(build(result), "vegf", "Serum VEGF")
    assert "<b>Lab</b>" not in serum["text"][0] and "&lt;b&gt;Lab" in serum["text"][0]
