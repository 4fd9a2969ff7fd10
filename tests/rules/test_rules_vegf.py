"""VEGF rules R1/R1c, R12, R13, R14 and the VEGF response: boundaries and edge cases."""

from __future__ import annotations

import pytest
from rules_builders import d, evaluate, only, patient, summary, treatment, vegf

ANCHOR = treatment("2024-01-01", "2024-03-31", anchor="2024-03-31")


def course(*later, baseline=3000, nadir=800, **kw):
    """Treated patient: serum baseline, one post-T0 nadir on 2024-07-01, then `later` results."""
    return patient(ANCHOR, vegf("2023-12-20", baseline), vegf("2024-07-01", nadir), *later, **kw)


def rules_of(result):
    return sorted(f.rule for f in result.flags)


@pytest.mark.parametrize(
    ("value", "triggers"),
    [("1200", True), ("1199.9", False), ("1200.1", True)],
)
def test_r1_triggers_exactly_at_nadir_times_one_and_a_half(value, triggers):
    result = evaluate(course(vegf("2024-10-01", value)), "2024-10-01")
    assert ("R1" in rules_of(result)) is triggers


@pytest.mark.parametrize(("value", "triggers"), [("1000", False), ("1000.1", True)])
def test_r1_needs_a_value_strictly_above_the_uln(value, triggers):
    result = evaluate(course(vegf("2024-10-01", value), nadir=600), "2024-10-01")
    assert ("R1" in rules_of(result)) is triggers


def test_r1_uses_the_report_uln_before_the_fallback():
    result = evaluate(course(vegf("2024-10-01", 1300, ref_high=1500)), "2024-10-01")
    assert rules_of(result) == []


def test_rise_setting_is_honoured_and_stored_in_the_flag():
    data = course(vegf("2024-10-01", 1100))
    assert rules_of(evaluate(data, "2024-10-01")) == []
    result = evaluate(data, "2024-10-01", CFG_VEGF_RISE_PCT=25)
    r1 = only(result, "R1")
    assert r1.params["CFG_VEGF_RISE_PCT"] == "25"
    assert r1.evidence["threshold_rise_pct"] == "25"


def test_vegf_rise_without_nadir_raises_nothing():
    data = patient(ANCHOR, vegf("2023-12-20", 3000), vegf("2024-07-01", 5000))
    assert evaluate(data, "2024-12-31").flags == ()


def test_second_consecutive_rise_is_r1c_and_the_r1_stays_open():
    data = course(vegf("2024-10-01", 1300), vegf("2024-11-05", 1400))
    result = evaluate(data, "2024-11-05")
    assert summary(result) == {
        ("R1", "amber", "2024-10-01", "open"),
        ("R1c", "red", "2024-11-05", "open"),
    }
    assert result.status == "red"
    r1c = only(result, "R1c")
    assert r1c.evidence["lab_result_ids"] == [data.labs[2].id, data.labs[3].id]
    assert r1c.explanation.startswith("VEGF progression: VEGF 1,400 pg/mL (serum) on 2024-11-05")


def test_a_long_rise_raises_one_amber_and_one_red():
    data = course(vegf("2024-10-01", 1300), vegf("2024-11-05", 1400), vegf("2024-12-10", 1500))
    assert rules_of(evaluate(data, "2024-12-31")) == ["R1", "R1c"]


def test_replicate_meeting_r1_earns_no_confirmation_credit():
    data = course(vegf("2024-10-01", 1300), vegf("2024-10-20", 1350))
    result = evaluate(data, "2024-10-31")
    assert summary(result) == {("R1", "amber", "2024-10-01", "open")}


def test_next_consecutive_after_a_replicate_confirms():
    data = course(vegf("2024-10-01", 1300), vegf("2024-10-20", 1350), vegf("2024-11-17", 1400))
    assert rules_of(evaluate(data, "2024-11-30")) == ["R1", "R1c"]


def test_result_27_days_later_is_a_replicate_and_28_days_is_consecutive():
    replicate = course(vegf("2024-10-01", 1300), vegf("2024-10-28", 1400))
    consecutive = course(vegf("2024-10-01", 1300), vegf("2024-10-29", 1400))
    assert rules_of(evaluate(replicate, "2024-12-31")) == ["R1"]
    assert rules_of(evaluate(consecutive, "2024-12-31")) == ["R1", "R1c"]


def test_replicate_below_the_threshold_closes_the_amber():
    data = course(vegf("2024-10-01", 1300), vegf("2024-10-10", 900))
    assert summary(evaluate(data, "2024-10-31")) == {("R1", "amber", "2024-10-01", "closed")}


def test_superseded_replicate_is_not_a_nadir():
    """600 is replaced by its replicate 900, so 1,300 is only 44% above the nadir."""
    data = patient(
        ANCHOR,
        vegf("2023-12-20", 3000),
        vegf("2024-07-01", 600),
        vegf("2024-07-10", 900),
        vegf("2024-10-01", 1300),
    )
    assert rules_of(evaluate(data, "2024-10-31")) == []


def test_lab_switch_starts_a_new_series_with_r12_and_no_cross_comparison():
    data = course(vegf("2024-10-01", 1300, lab_name="LabB"))
    result = evaluate(data, "2024-10-31")
    assert rules_of(result) == ["R12"]
    r12 = only(result, "R12")
    assert r12.evidence["changed"] == ["lab"]
    assert r12.key == "R12:vegf/serum/LabB:2024-10-01"


def test_assay_switch_is_a_new_vegf_series():
    data = course(vegf("2024-10-01", 1300, assay="ELISA"))
    r12 = only(evaluate(data, "2024-10-31"), "R12")
    assert r12.evidence["changed"] == ["assay"]
    assert r12.evidence["new_series"] == "vegf/serum/LabA/ELISA"


def test_parallel_serum_and_plasma_from_the_start_raise_no_r12():
    data = patient(ANCHOR, vegf("2023-12-20", 3000), vegf("2023-12-20", 300, "plasma"))
    assert evaluate(data, "2024-12-31").flags == ()


def test_bevacizumab_result_is_r14_and_excluded_from_r1_and_nadir():
    bev = treatment("2024-08-01", "2024-09-15", agents=["bevacizumab"], line=2)
    during = vegf("2024-09-01", 50)
    data = course(during, vegf("2024-10-01", 1300), bev)
    result = evaluate(data, "2024-10-31")
    assert summary(result) == {
        ("R14", "info", "2024-09-01", "open"),
        ("R1", "amber", "2024-10-01", "open"),
    }
    r1 = only(result, "R1")
    assert r1.evidence["nadir"] == "800"
    assert only(result, "R14").evidence["treatment_ids"] == [bev.id]


def test_bevacizumab_result_cannot_trigger_r1():
    bev = treatment("2024-09-20", None, agents=["bevacizumab"], line=2)
    result = evaluate(course(vegf("2024-10-01", 5000), bev), "2024-10-31")
    assert rules_of(result) == ["R14"]
    assert result.status == "green"


def test_confounder_adds_r13_but_r1_still_applies():
    data = course(vegf("2024-10-01", 1300, confounders=["copd", "sleep_apnoea"]))
    result = evaluate(data, "2024-10-31")
    assert rules_of(result) == ["R1", "R13"]
    assert "copd and sleep apnoea" in only(result, "R13").explanation


def test_patient_without_anchor_has_no_r1_and_no_response():
    data = patient(vegf("2024-01-01", 800), vegf("2024-04-01", 900), vegf("2024-07-01", 3000))
    result = evaluate(data, "2024-12-31")
    assert result.flags == ()
    assert result.anchor is None
    assert result.overdue == ()
    assert result.response == {
        "vegf": "not_evaluable",
        "haematological": "not_evaluable",
        "neuro": "not_evaluable",
        "pet": "not_done",
    }


def test_patient_with_one_value():
    result = evaluate(patient(ANCHOR, vegf("2024-07-01", 5000)), "2024-12-31")
    assert result.flags == ()
    assert result.response["vegf"] == "not_evaluable"


def test_empty_patient():
    result = evaluate(patient(), "2024-12-31")
    assert (result.flags, result.status, result.anchor) == ((), "green", None)


def test_as_of_ignores_later_data_and_later_anchors():
    data = course(vegf("2024-10-01", 1300), vegf("2024-11-05", 1400))
    assert rules_of(evaluate(data, "2024-10-31")) == ["R1"]
    assert evaluate(data, "2024-03-30").anchor is None
    assert evaluate(data, "2024-03-31").anchor == d("2024-03-31")


def test_evaluating_twice_gives_equal_results():
    data = course(vegf("2024-10-01", 1300), vegf("2024-11-05", 1400))
    assert evaluate(data, "2024-12-31") == evaluate(data, "2024-12-31")


def test_flag_keys_do_not_change_when_later_data_arrives():
    data = course(vegf("2024-10-01", 1300), vegf("2024-11-05", 700))
    before = only(evaluate(data, "2024-10-31"), "R1")
    after = only(evaluate(data, "2024-12-31"), "R1")
    assert before.key == after.key == "R1:vegf/serum/LabA:2024-10-01"
    assert (before.status, after.status) == ("open", "closed")


# --- VEGF response ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nadir", "category"),
    [("1000", "CR"), ("1000.1", "PR"), ("1500", "PR"), ("1500.1", "NR")],
)
def test_vegf_response_boundaries(nadir, category):
    assert evaluate(course(nadir=nadir), "2024-12-31").response["vegf"] == category


def test_vegf_baseline_at_or_below_uln_is_not_evaluable():
    assert evaluate(course(baseline=1000, nadir=500), "2024-12-31").response["vegf"] == ("not_evaluable")


@pytest.mark.parametrize(("baseline_day", "category"), [("2023-10-03", "CR"), ("2023-10-02", "not_evaluable")])
def test_vegf_baseline_lookback_is_90_days_before_the_line_start(baseline_day, category):
    data = patient(ANCHOR, vegf(baseline_day, 3000), vegf("2024-07-01", 800))
    assert evaluate(data, "2024-12-31").response["vegf"] == category


@pytest.mark.parametrize(("day", "category"), [("2024-06-29", "CR"), ("2024-06-28", "not_evaluable")])
def test_vegf_response_is_assessed_from_90_days_after_t0(day, category):
    data = patient(ANCHOR, vegf("2023-12-20", 3000), vegf(day, 800))
    assert evaluate(data, "2024-12-31").response["vegf"] == category


def test_bevacizumab_results_do_not_count_towards_response():
    bev = treatment("2024-06-01", "2024-08-01", agents=["bevacizumab"], line=2)
    data = patient(ANCHOR, bev, vegf("2023-12-20", 3000), vegf("2024-07-01", 100), vegf("2024-10-01", 2800))
    assert evaluate(data, "2024-12-31").response["vegf"] == "NR"
