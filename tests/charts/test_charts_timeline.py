"""The structure of the timeline figures: one trace per series, units on every axis, reference
bands, anchors on a shared x-axis, and panels without data left out with a note."""

import json

import plotly.graph_objects as go
import pytest

from tests.charts.chart_helpers import build, figure, panel, trace, traces, y_axes
from tests.rules.rules_builders import ife, imaging, lab, ncs, symptoms, treatment, vegf, visit

ASCT = treatment("2021-03-01", "2021-03-20", anchor="2021-03-20", category="asct")


def full_record():
    """Some of everything, so that every panel is drawn."""
    return (
        ASCT,
        vegf("2021-02-01", 6000, assay="ELISA", ref_high=1000),
        vegf("2021-09-01", 900, assay="ELISA", ref_high=1000),
        vegf("2022-03-01", 700, assay="ELISA", ref_high=1000),
        vegf("2022-03-01", 60, specimen="plasma", assay="ELISA", ref_high="96.2"),
        lab("2021-02-01", "platelets", 480, specimen="whole_blood", ref_low=150, ref_high=400),
        lab("2021-09-01", "platelets", 250, specimen="whole_blood", ref_low=150, ref_high=400),
        lab("2021-09-01", "hemoglobin", 130, specimen="whole_blood"),
        lab("2021-09-01", "m_protein", "0.2"),
        lab("2021-09-01", "flc_kappa", 12, ref_high="19.4"),
        lab("2021-09-01", "flc_lambda", 30, ref_high="26.3"),
        ife("2021-09-01", "negative"),
        visit("2021-09-01", (1, 3), incat=(1, 2), mrs=2, ecog=1, weight=70),
        ncs("2021-09-01", cmap="2.5"),
        symptoms("2021-09-01", weight=69, swelling=4, fatigue=0),
        imaging("2021-09-05", "PR"),
    )


@pytest.fixture
def timeline():
    return build(*full_record(), labels={ASCT.id: "HDM-ASCT"})


def test_every_figure_is_json_safe_and_valid_plotly(timeline):
    for p in timeline["panels"]:
        json.dumps(p["payload"])  # no Decimal, no date
        go.Figure(p["payload"]["figure"])  # plotly.py's schema check: no misspelt attribute


def test_panels_come_in_the_order_of_the_design(timeline):
    order = [p["id"] for p in timeline["panels"]]
    assert order == ["treatments", "vegf", "counts", "paraprotein", "scores", "ncs", "symptoms"]


def test_serum_and_plasma_vegf_are_never_in_one_trace_nor_on_one_axis(timeline):
    fig = figure(timeline, "vegf")
    serum, plasma = trace(timeline, "vegf", "Serum VEGF"), trace(timeline, "vegf", "Plasma VEGF")
    assert serum["y"] == [6000.0, 900.0, 700.0]
    assert plasma["y"] == [60.0]
    assert serum["yaxis"] != plasma["yaxis"]
    assert all(axis["type"] == "log" and axis["title"]["text"] == "pg/mL" for axis in y_axes(fig))


def test_each_vegf_specimen_has_its_own_upper_limit_band(timeline):
    bands = [s for s in figure(timeline, "vegf")["layout"]["shapes"] if s["type"] == "rect"]
    assert {(s["yref"], s["y1"]) for s in bands} == {("y", 1000.0), ("y2", 96.2)}
    assert all(0 < s["y0"] < s["y1"] for s in bands)  # a log axis has no zero
    # The range is named in the legend, not written on the band where points would cover it.
    assert not any("label" in s for s in bands)
    explained = [t["name"] for t in figure(timeline, "vegf")["data"] if t.get("x") == [None]]
    assert "Serum VEGF upper limit 1,000 pg/mL" in explained
    assert "Plasma VEGF upper limit 96.2 pg/mL" in explained


def test_a_change_of_lab_starts_a_new_trace():
    timeline = build(vegf("2021-01-01", 900, lab_name="LabA"), vegf("2021-06-01", 800, lab_name="LabB"))
    names = [t["name"] for t in traces(timeline, "vegf") if t["mode"] == "lines+markers"]
    assert names == ["Serum VEGF · LabA", "Serum VEGF · LabB"]


def test_vegf_nadir_after_t0_is_marked_with_a_star(timeline):
    nadir = trace(timeline, "vegf", "Nadir after T0 (★)")
    assert nadir["x"] == ["2022-03-01"] and nadir["y"] == [700.0]
    assert nadir["marker"]["symbol"] == "star"


def test_no_nadir_without_an_anchor():
    timeline = build(vegf("2021-01-01", 900), vegf("2021-06-01", 800))
    assert all("Nadir" not in t["name"] for t in traces(timeline, "vegf"))


def test_axis_titles_carry_units(timeline):
    units = {axis["title"]["text"] for p in timeline["panels"][1:] for axis in y_axes(p["payload"]["figure"])}
    assert {"pg/mL", "×10⁹/L", "g/L", "g/dL", "mg/L", "points", "mV", "kg", "0–10"} <= units


def test_hover_shows_value_with_unit_date_and_source(timeline):
    platelets = trace(timeline, "counts", "Platelets")
    assert "×10⁹/L" in platelets["hovertemplate"]
    assert "%{x|%Y-%m-%d}" in platelets["hovertemplate"]
    assert platelets["text"][0] == "LabA; entered by staff"


def test_platelet_band_is_the_reported_range(timeline):
    bands = [s for s in figure(timeline, "counts")["layout"]["shapes"] if s["type"] == "rect" and s["yref"] == "y"]
    assert [(b["y0"], b["y1"]) for b in bands] == [(150.0, 400.0)]


def test_haemoglobin_without_a_reported_range_gets_the_sex_specific_fallback():
    female = build(lab("2021-01-01", "hemoglobin", 130, specimen="whole_blood"), sex="female")
    male = build(lab("2021-01-01", "hemoglobin", 130, specimen="whole_blood"), sex="male")
    band = [s for s in figure(female, "counts")["layout"]["shapes"] if s["type"] == "rect"][0]
    assert (band["y0"], band["y1"]) == (120.0, 160.0)
    band = [s for s in figure(male, "counts")["layout"]["shapes"] if s["type"] == "rect"][0]
    assert (band["y0"], band["y1"]) == (130.0, 180.0)


def test_a_new_reference_range_starts_a_new_band():
    timeline = build(
        lab("2021-01-01", "platelets", 300, specimen="whole_blood", ref_low=150, ref_high=400),
        lab("2022-01-01", "platelets", 300, specimen="whole_blood", ref_low=140, ref_high=450),
    )
    bands = [s for s in figure(timeline, "counts")["layout"]["shapes"] if s["type"] == "rect"]
    assert [(b["x1"], b["y1"]) for b in bands][0] == ("2022-01-01", 400.0)
    assert bands[1]["x0"] == "2022-01-01" and bands[1]["y1"] == 450.0


def test_every_panel_has_the_anchor_line_and_one_x_range(timeline):
    start, end = timeline["x_range"]
    for p in timeline["panels"]:
        fig = p["payload"]["figure"]
        lines = [s for s in fig["layout"]["shapes"] if s["type"] == "line" and s["x0"] == "2021-03-20"]
        assert lines, f"no T0 line in {p['id']}"
        assert fig["layout"]["xaxis"]["range"] == [start, end]


def test_stacked_rows_share_the_x_axis(timeline):
    layout = figure(timeline, "counts")["layout"]
    assert layout["xaxis2"]["matches"] == "x"
    assert layout["xaxis"]["showticklabels"] is False and layout["xaxis2"]["showticklabels"] is True


def test_treatment_strip_has_a_band_per_treatment_labelled_with_its_regimen():
    rd = treatment("2022-01-01", "2022-09-01", anchor="2022-09-01")
    timeline = build(ASCT, rd, labels={ASCT.id: "HDM-ASCT", rd.id: "Rd"})
    bars = traces(timeline, "treatments")[0]
    assert bars["type"] == "bar" and bars["text"] == ["HDM-ASCT", "Rd"]
    assert bars["base"] == ["2021-03-01", "2022-01-01"]
    annotations = [a["text"] for a in figure(timeline, "treatments")["layout"]["annotations"]]
    assert annotations == ["T0 2021-03-20", "T0 2022-09-01"]


def test_overlapping_treatments_get_separate_lanes():
    long = treatment("2021-01-01", "2022-01-01")
    short = treatment("2021-06-01", "2021-07-01")
    bars = traces(build(long, short), "treatments")[0]
    assert bars["y"] == [0, 1]


def test_panels_without_data_are_left_out_with_a_note():
    timeline = build(vegf("2021-01-01", 900))
    assert panel(timeline, "ncs") == {
        "id": "ncs",
        "title": "Nerve conduction (CMAP amplitude)",
        "note": "",
        "empty": "No NCS recorded.",
        "summary": "",
        "height": 0,
        "payload": None,
    }
    assert panel(timeline, "vegf")["payload"] is not None
    assert {p["id"] for p in timeline["panels"] if p["payload"] is None} == {
        "treatments",
        "counts",
        "paraprotein",
        "scores",
        "ncs",
        "symptoms",
    }


def test_scores_panel_has_onls_arm_leg_total_incat_and_mrs(timeline):
    names = [t["name"] for t in traces(timeline, "scores")]
    assert names == ["ONLS total (0–12)", "ONLS arm (0–5)", "ONLS leg (0–7)", "INCAT (0–10)", "mRS (0–6)", "ECOG (0–5)"]
    assert trace(timeline, "scores", "ONLS total (0–12)")["y"] == [4]


def test_ncs_has_a_trace_per_nerve_and_side_and_plots_absent_at_zero():
    timeline = build(
        ncs("2021-01-01", nerve="median", side="left", site="wrist", cmap="5.1"),
        ncs("2021-01-01", nerve="peroneal", side="right", cmap="2.0"),
        ncs("2022-01-01", nerve="peroneal", side="right", absent=True),
        ncs("2022-01-01", kind="sensory", nerve="sural", side="right", snap="4"),
    )
    median, peroneal = traces(timeline, "ncs")
    assert (median["name"], peroneal["name"]) == ("Median left, wrist", "Peroneal right, ankle")
    assert median["line"]["dash"] == "dash" and peroneal["line"]["dash"] == "solid"
    assert peroneal["y"] == [2.0, 0.0]
    assert "response absent" in peroneal["text"][1]


def test_quiet_symptoms_start_hidden_and_all_zero_items_are_named():
    timeline = build(
        symptoms("2021-01-01", swelling=4, fatigue=1, sweating=0),
        symptoms("2021-02-01", swelling=5, fatigue=2, sweating=0),
    )
    assert "visible" not in trace(timeline, "symptoms", "Swelling")
    assert trace(timeline, "symptoms", "Tiredness")["visible"] == "legendonly"
    assert "Always 0 and not drawn: sweating" in panel(timeline, "symptoms")["note"]


def test_weight_from_clinic_and_from_the_patient_are_two_traces(timeline):
    assert trace(timeline, "symptoms", "Weight at clinic")["y"] == [70.0]
    assert trace(timeline, "symptoms", "Weight, self-reported")["y"] == [69.0]


def test_comparator_results_say_how_they_were_reported():
    timeline = build(lab("2021-01-01", "flc_kappa", 5, comparator="<"))
    kappa = trace(timeline, "paraprotein", "Free kappa")
    # Plotly reads a little HTML in hover text, so "<" arrives escaped (and shows as "<").
    assert kappa["y"] == [5.0] and "reported as &lt;5" in kappa["text"][0]


def test_immunofixation_is_drawn_by_category_with_words(timeline):
    negative = trace(timeline, "paraprotein", "IFE negative (○)")
    assert negative["y"] == ["Serum"] and negative["marker"]["symbol"] == "circle-open"
    assert "Serum IFE negative" in negative["text"][0]


def test_tables_list_dates_newest_first_with_units_in_the_headers(timeline):
    table = panel(timeline, "counts")["payload"]["table"]
    assert table["columns"] == ["Date", "Platelets (×10⁹/L)", "Haemoglobin (g/L)"]
    assert [row[0] for row in table["rows"]] == ["2021-09-01", "2021-02-01"]
    assert table["rows"][0][1:] == [["250", []], ["130", []]]


def test_compact_figures_are_smaller_and_carry_no_table(timeline):
    compact = build(*full_record(), compact=True)
    for key in ("vegf", "counts", "symptoms"):
        assert panel(compact, key)["height"] < panel(timeline, key)["height"]
        assert panel(compact, key)["payload"]["table"] is None


def test_a_patient_with_no_records_gets_notes_and_no_figures():
    timeline = build()
    assert all(p["payload"] is None and p["empty"] for p in timeline["panels"])
    assert panel(timeline, "treatments")["empty"] == "No treatments or imaging recorded."
