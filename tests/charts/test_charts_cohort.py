"""The cohort chart: VEGF as a percentage of each patient's own baseline, month 0 at T0."""

import json
from datetime import date

import plotly.graph_objects as go

from tests.rules.rules_builders import patient, treatment, vegf
from tracker.charts import CohortPatient, cohort_chart
from tracker.rules import RuleParams

AS_OF = date(2026, 6, 30)


def person(pk, *, relapsing=False) -> CohortPatient:
    return CohortPatient(pk=pk, mrn=f"C{pk:03d}", name=f"Person {pk}", url=f"/patients/{pk}/", relapsing=relapsing)


def responder(baseline=4000):
    """Treated 2021-01-01..2021-03-01 (T0), baseline two weeks before the start."""
    return patient(
        treatment("2021-01-01", "2021-03-01", anchor="2021-03-01"),
        vegf("2020-12-15", baseline),
        vegf("2021-06-01", baseline / 4),
        vegf("2022-03-01", baseline / 8),
    )


def chart(people, data):
    return cohort_chart(people, data, as_of=AS_OF, params=RuleParams())


def lines(result):
    return [t for t in result["figure"]["data"] if t.get("x") != [None]]


def test_values_are_percent_of_baseline_against_months_since_t0():
    result = chart([person(1)], {1: responder()})
    (line,) = lines(result)
    assert line["y"] == [100.0, 25.0, 12.5]
    assert line["x"][0] < 0 and 2.9 < line["x"][1] < 3.1 and 11.9 < line["x"][2] < 12.1
    assert "% of baseline" in line["hovertemplate"] and "months since T0" in line["hovertemplate"]


def test_clicking_a_line_opens_the_patient():
    (line,) = lines(chart([person(1)], {1: responder()}))
    assert set(line["customdata"]) == {"/patients/1/"}


def test_relapsing_patients_differ_by_line_style_and_colour_and_are_labelled():
    result = chart([person(1, relapsing=True), person(2)], {1: responder(), 2: responder(3000)})
    relapsing = next(t for t in lines(result) if t["legendgroup"] == "relapsing")
    other = next(t for t in lines(result) if t["legendgroup"] == "other")
    assert relapsing["line"]["dash"] != other["line"]["dash"]
    assert relapsing["line"]["color"] != other["line"]["color"]
    assert relapsing["marker"]["symbol"] != other["marker"]["symbol"]
    assert relapsing["text"][-1] == "C001"
    legend = [t["name"] for t in result["figure"]["data"] if t.get("x") == [None]]
    assert legend == ["Relapsing: open RED flag (solid orange line, ◆)", "No open RED flag (dotted blue line, ●)"]
    assert [r["mrn"] for r in result["rows"]] == ["C001", "C002"]


def test_relapsing_lines_are_drawn_on_top():
    result = chart([person(1, relapsing=True), person(2)], {1: responder(), 2: responder(3000)})
    assert lines(result)[-1]["legendgroup"] == "relapsing"


def test_patients_without_anchor_or_baseline_are_listed_with_the_reason():
    no_anchor = patient(vegf("2021-01-01", 900))
    late_baseline = patient(treatment("2021-01-01", "2021-03-01", anchor="2021-03-01"), vegf("2021-06-01", 900))
    result = chart([person(1), person(2), person(3)], {1: responder(), 2: no_anchor, 3: late_baseline})
    reasons = {e["mrn"]: e["reason"] for e in result["excluded"]}
    assert reasons == {
        "C002": "no response anchor (T0) recorded",
        "C003": "no VEGF baseline within 90 days before treatment started",
    }


def test_one_series_per_patient_serum_and_plasma_never_mixed():
    data = patient(
        treatment("2021-01-01", "2021-03-01", anchor="2021-03-01"),
        vegf("2020-12-15", 4000),
        vegf("2020-12-15", 300, specimen="plasma"),
        vegf("2021-06-01", 1000),
        vegf("2021-06-01", 75, specimen="plasma"),
        vegf("2021-09-01", 60, specimen="plasma"),
    )
    result = chart([person(1)], {1: data})
    (line,) = lines(result)
    assert result["rows"][0]["specimen"] == "plasma"  # the series with more values after T0
    assert line["y"] == [100.0, 25.0, 20.0]


def test_nothing_to_draw_gives_no_figure():
    result = chart([person(1)], {1: patient(vegf("2021-01-01", 900))})
    assert result["figure"] is None and len(result["excluded"]) == 1


def test_cohort_figure_is_json_safe_and_valid_plotly():
    result = chart([person(1, relapsing=True), person(2)], {1: responder(), 2: responder(3000)})
    json.dumps(result)
    go.Figure(result["figure"])
