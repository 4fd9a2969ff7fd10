"""Haematological rules (R3/R3c, R3b, R3f), blood counts (R2, R2b) and the haem response."""

from __future__ import annotations

import pytest
from rules_builders import evaluate, ife, lab, only, patient, summary, treatment

ANCHOR = treatment("2024-01-01", "2024-03-31", anchor="2024-03-31")


def rules_of(result):
    return sorted(f.rule for f in result.flags)


# --- R3 / R3c --------------------------------------------------------------------------------


def in_cr(*later):
    """Baseline IFE positive, then CR on 2024-08-01 (two consecutive negative serum IFEs)."""
    return patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        ife("2024-07-01", "negative"),
        ife("2024-08-01", "negative"),
        *later,
    )


def test_positive_ife_after_cr_is_r3_and_a_second_is_r3c():
    data = in_cr(ife("2024-10-01", "positive"), ife("2024-11-01", "positive"))
    result = evaluate(data, "2024-11-30")
    assert summary(result) == {
        ("R3", "amber", "2024-10-01", "open"),
        ("R3c", "red", "2024-11-01", "open"),
    }
    r3 = only(result, "R3")
    assert r3.domain == "haematological"
    assert r3.explanation == (
        "Serum immunofixation on 2024-10-01 is positive (IgA-lambda) after the haematological"
        " complete response of 2024-08-01; criterion: reappearance of the paraprotein on"
        " immunofixation."
    )


def test_positive_ife_followed_by_negative_closes_r3():
    data = in_cr(ife("2024-10-01", "positive"), ife("2024-11-01", "negative"))
    assert summary(evaluate(data, "2024-11-30")) == {("R3", "amber", "2024-10-01", "closed")}


def test_urine_ife_positive_after_cr_is_r3_too():
    data = in_cr(ife("2024-10-01", "positive", specimen="urine_24h"))
    assert only(evaluate(data, "2024-10-31"), "R3").key == "R3:ife/urine:2024-10-01"


def test_positive_ife_without_a_prior_cr_is_not_r3():
    data = patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        ife("2024-07-01", "negative"),
        ife("2024-08-01", "positive"),
    )
    assert evaluate(data, "2024-12-31").flags == ()


def test_negatives_closer_than_the_confirmation_interval_are_not_a_cr():
    data = patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        ife("2024-07-01", "negative"),
        ife("2024-07-15", "negative"),
        ife("2024-10-01", "positive"),
    )
    result = evaluate(data, "2024-12-31")
    assert result.flags == ()
    assert result.response["haematological"] == "IFE_positive_unmeasurable"


# --- haematological response -----------------------------------------------------------------


def test_haem_cr_needs_urine_ife_negative_or_not_done():
    data = in_cr(ife("2024-07-20", "positive", specimen="urine_24h"))
    assert evaluate(data, "2024-08-31").response["haematological"] == "IFE_positive_unmeasurable"
    assert evaluate(in_cr(), "2024-08-31").response["haematological"] == "CR"


def test_haem_response_not_evaluable_without_a_positive_baseline_ife():
    data = patient(ANCHOR, ife("2023-12-20", "negative"), ife("2024-07-01", "negative"))
    assert evaluate(data, "2024-12-31").response["haematological"] == "not_evaluable"


@pytest.mark.parametrize(
    ("nadir", "category"),
    [("0.2", "VGPR"), ("0.21", "PR"), ("1.0", "PR"), ("1.01", "NR")],
)
def test_measurable_m_spike_response_boundaries(nadir, category):
    data = patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        lab("2023-12-20", "m_protein", "2.0"),
        lab("2024-07-01", "m_protein", nadir),
        ife("2024-07-01", "positive"),
    )
    assert evaluate(data, "2024-12-31").response["haematological"] == category


def test_m_spike_just_below_measurable_is_ife_positive_unmeasurable():
    data = patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        lab("2023-12-20", "m_protein", "0.99"),
        lab("2024-07-01", "m_protein", "0.1"),
    )
    assert evaluate(data, "2024-12-31").response["haematological"] == "IFE_positive_unmeasurable"


# --- R3b -------------------------------------------------------------------------------------


def measurable(*later):
    return patient(
        ANCHOR,
        ife("2023-12-20", "positive"),
        lab("2023-12-20", "m_protein", "2.0"),
        lab("2024-07-01", "m_protein", "0.4"),
        *later,
    )


@pytest.mark.parametrize(("value", "triggers"), [("0.9", True), ("0.89", False)])
def test_r3b_at_25_percent_and_half_a_gram_over_nadir(value, triggers):
    result = evaluate(measurable(lab("2024-10-01", "m_protein", value)), "2024-10-31")
    assert ("R3b" in rules_of(result)) is triggers


def test_r3b_relative_rise_alone_is_not_enough():
    """0.4 -> 0.8 is +100% but only +0.4 g/dL."""
    assert evaluate(measurable(lab("2024-10-01", "m_protein", "0.8")), "2024-10-31").flags == ()


def test_r3b_confirmed_is_a_second_red_flag_with_the_same_rule_id():
    data = measurable(lab("2024-10-01", "m_protein", "1.0"), lab("2024-11-01", "m_protein", "1.2"))
    result = evaluate(data, "2024-11-30")
    assert summary(result) == {
        ("R3b", "amber", "2024-10-01", "open"),
        ("R3b", "red", "2024-11-01", "open"),
    }
    red = next(f for f in result.flags if f.severity == "red")
    assert red.key == "R3b:m_protein/serum/LabA:2024-11-01:confirmed"
    assert red.explanation.startswith("Haematological progression: Serum M-protein 1.2 g/dL")


def test_r3b_does_not_apply_to_an_unmeasurable_baseline():
    data = patient(
        ANCHOR,
        lab("2023-12-20", "m_protein", "0.9"),
        lab("2024-07-01", "m_protein", "0.0"),
        lab("2024-10-01", "m_protein", "0.8"),
    )
    assert evaluate(data, "2024-10-31").flags == ()


# --- R3f -------------------------------------------------------------------------------------


def light_chain_patient(*later, ratio="0.1"):
    """Lambda patient with an abnormal baseline ratio and an unmeasurable M-spike."""
    return patient(
        ANCHOR,
        lab("2023-12-20", "m_protein", "0.2"),
        lab("2023-12-20", "flc_ratio", ratio, ref_low="0.26", ref_high="1.65"),
        lab("2024-07-01", "flc_kappa", "10"),
        lab("2024-07-01", "flc_lambda", "60"),
        *later,
    )


def flc(day, kappa, lambda_):
    return [lab(day, "flc_kappa", kappa), lab(day, "flc_lambda", lambda_)]


@pytest.mark.parametrize(("lambda_", "triggers"), [("160.1", True), ("160", False)])
def test_r3f_needs_a_rise_of_more_than_100_mg_per_l(lambda_, triggers):
    """dFLC nadir 50; 150.1 is >100 above it (and >= 125%); 150 is exactly 100 above."""
    result = evaluate(light_chain_patient(*flc("2024-10-01", "10", lambda_)), "2024-10-31")
    assert ("R3f" in rules_of(result)) is triggers


def test_r3f_needs_an_abnormal_baseline_ratio():
    data = light_chain_patient(*flc("2024-10-01", "10", "400"), ratio="0.5")
    assert evaluate(data, "2024-10-31").flags == ()


def test_r3f_names_the_involved_chain_and_the_pair_ids():
    later = flc("2024-10-01", "10", "400")
    result = evaluate(light_chain_patient(*later), "2024-10-31")
    r3f = only(result, "R3f")
    assert r3f.evidence["involved_chain"] == "lambda"
    assert r3f.evidence["lab_result_ids"] == [later[0].id, later[1].id]
    assert "Involved-minus-uninvolved free light chain (lambda) 390 mg/L" in r3f.explanation


# --- R2 / R2b --------------------------------------------------------------------------------


def counts(analyte, *values, sex="female", ref_high=None):
    days = ["2023-12-20", "2024-07-01", "2024-10-01", "2025-01-06", "2025-04-07"]
    rows = [lab(day, analyte, v, ref_high=ref_high) for day, v in zip(days, values, strict=False)]
    return patient(ANCHOR, *rows, sex=sex)


def test_r2_needs_a_normal_value_after_t0_first():
    assert evaluate(counts("platelets", 520, 450, 460), "2025-06-30").flags == ()
    result = evaluate(counts("platelets", 520, 300, 401, 420), "2025-06-30")
    assert summary(result) == {("R2", "amber", "2025-01-06", "open")}


def test_r2_exactly_at_uln_is_not_above_it():
    assert evaluate(counts("platelets", 520, 300, 400, 400), "2025-06-30").flags == ()


def test_r2_uses_the_report_uln():
    result = evaluate(counts("platelets", 520, 300, 430, 440, ref_high=450), "2025-06-30")
    assert result.flags == ()


def test_r2_raises_once_per_run():
    result = evaluate(counts("platelets", 520, 300, 430, 440, 460), "2025-06-30")
    assert rules_of(result) == ["R2"]


@pytest.mark.parametrize(
    ("sex", "values", "flagged"),
    [
        ("male", (170, 185, 190), True),
        ("male", (170, 165, 170), False),
        ("female", (150, 165, 170), True),
        ("unknown", (150, 165, 170), True),
    ],
)
def test_r2b_uses_the_sex_specific_fallback_uln(sex, values, flagged):
    result = evaluate(counts("hemoglobin", *values, sex=sex), "2025-06-30")
    assert (rules_of(result) == ["R2b"]) is flagged


def test_r2b_haematocrit():
    result = evaluate(counts("hematocrit", "0.45", "0.52", "0.53", sex="male"), "2025-06-30")
    r2b = only(result, "R2b")
    assert r2b.domain == "blood_counts"
    assert "0.53 L/L" in r2b.explanation and "0.51 L/L" in r2b.explanation
