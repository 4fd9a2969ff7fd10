"""Clinic, NCS, self-report, imaging and composite rules: R4-R11."""

from __future__ import annotations

import pytest
from rules_builders import evaluate, imaging, ncs, only, patient, summary, symptoms, treatment, vegf, visit

ANCHOR = treatment("2024-01-01", "2024-03-31", anchor="2024-03-31")


def rules_of(result):
    return sorted(f.rule for f in result.flags)


# --- R4 / R4c --------------------------------------------------------------------------------


def test_incat_worsening_alone_is_r4():
    data = patient(ANCHOR, visit("2024-06-01", incat=(1, 1)), visit("2024-09-01", incat=(1, 2)))
    r4 = only(evaluate(data, "2024-09-30"), "R4")
    assert r4.evidence["scores"][0]["scale"] == "INCAT"
    assert r4.evidence["visit_ids"] == [data.visits[1].id]


def test_onls_change_setting_of_two_points():
    data = patient(ANCHOR, visit("2024-06-01", (1, 2)), visit("2024-09-01", (1, 3)))
    assert rules_of(evaluate(data, "2024-09-30")) == ["R4"]
    assert evaluate(data, "2024-09-30", CFG_ONLS_CHANGE_POINTS=2).flags == ()


def test_r4_unconfirmed_by_next_visit_is_closed():
    data = patient(
        ANCHOR,
        visit("2024-06-01", (1, 2)),
        visit("2024-09-01", (1, 3)),
        visit("2024-12-01", (1, 2)),
    )
    assert summary(evaluate(data, "2024-12-31")) == {("R4", "amber", "2024-09-01", "closed")}


def test_scores_before_t0_are_not_the_best():
    data = patient(ANCHOR, visit("2023-12-01", (0, 1)), visit("2024-06-01", (1, 3)))
    assert evaluate(data, "2024-12-31").flags == ()


# --- R5 --------------------------------------------------------------------------------------


def test_newly_absent_response_is_r5():
    data = patient(ANCHOR, ncs("2024-06-01", cmap="1.0"), ncs("2025-06-01", absent=True))
    r5 = only(evaluate(data, "2025-06-30"), "R5")
    assert r5.evidence["findings"][0]["kind"] == "newly_absent"
    assert r5.explanation.startswith("The right peroneal motor (ankle) response is absent on 2025-06-01")


@pytest.mark.parametrize(("cv", "triggers"), [("32", True), ("32.1", False)])
def test_conduction_velocity_drop_of_20_percent(cv, triggers):
    data = patient(
        ANCHOR, ncs("2024-06-01", site="fibular_head", cv="40"), ncs("2025-06-01", site="fibular_head", cv=cv)
    )
    assert ("R5" in rules_of(evaluate(data, "2025-06-30"))) is triggers


@pytest.mark.parametrize(("cmap", "triggers"), [("1.4", True), ("1.41", False)])
def test_cmap_drop_of_30_percent(cmap, triggers):
    data = patient(ANCHOR, ncs("2024-06-01", cmap="2.0"), ncs("2025-06-01", cmap=cmap))
    assert ("R5" in rules_of(evaluate(data, "2025-06-30"))) is triggers


def test_other_nerve_side_site_or_lab_is_not_compared():
    data = patient(
        ANCHOR,
        ncs("2024-06-01", cmap="4.0"),
        ncs("2025-06-01", cmap="1.0", side="left"),
        ncs("2025-06-01", cmap="1.0", site="fibular_head"),
        ncs("2025-06-01", cmap="1.0", lab_name="OtherLab"),
    )
    assert evaluate(data, "2025-06-30").flags == ()


def test_one_r5_per_study_lists_every_nerve():
    data = patient(
        ANCHOR,
        ncs("2024-06-01", cmap="2.0"),
        ncs("2024-06-01", nerve="tibial", cmap="4.0"),
        ncs("2025-06-01", cmap="1.0"),
        ncs("2025-06-01", nerve="tibial", cmap="2.0"),
    )
    r5 = only(evaluate(data, "2025-06-30"), "R5")
    assert len(r5.evidence["findings"]) == 2
    assert r5.explanation.count("50% below") == 2


# --- R6 / R7 ---------------------------------------------------------------------------------


def test_symptom_rise_of_two_points_is_r6_and_one_point_is_not():
    data = patient(
        symptoms("2024-01-01", swelling=2, breathlessness=1, fatigue=1),
        symptoms("2024-02-01", swelling=4, breathlessness=2, fatigue=9),
    )
    r6 = only(evaluate(data, "2024-02-29"), "R6")
    assert [i["item"] for i in r6.evidence["items"]] == ["swelling"]
    assert r6.explanation == (
        "On 2024-02-01 self-reported swelling rose from 2 (2024-01-01) to 4 on the 0-10 scale; threshold 2 points."
    )


def test_r6_compares_with_the_last_report_that_answered_the_item():
    data = patient(
        symptoms("2024-01-01", weakness=1),
        symptoms("2024-02-01", swelling=0),
        symptoms("2024-03-01", weakness=3),
    )
    r6 = only(evaluate(data, "2024-03-31"), "R6")
    assert r6.evidence["items"][0]["previous_on"] == "2024-01-01"


@pytest.mark.parametrize(("weight", "triggers"), [("95", True), ("95.1", False)])
def test_weight_loss_of_five_percent_from_visits_and_reports(weight, triggers):
    data = patient(visit("2024-01-01", weight="100"), symptoms("2024-03-31", weight=weight))
    result = evaluate(data, "2024-04-30")
    assert ("R7" in rules_of(result)) is triggers
    if triggers:
        r7 = only(result, "R7")
        assert r7.evidence["visit_ids"] == [data.visits[0].id]
        assert r7.evidence["symptom_ids"] == [data.symptoms[0].id]
        assert "5% lower than 100 kg on 2024-01-01 (weight loss)" in r7.explanation


def test_weight_change_outside_the_window_is_not_r7():
    data = patient(visit("2024-01-01", weight="100"), visit("2024-04-01", weight="90"))
    assert evaluate(data, "2024-04-30").flags == ()


def test_weight_gain_raises_once_while_it_persists():
    data = patient(
        visit("2024-01-01", weight="70"),
        visit("2024-02-01", weight="74"),
        visit("2024-03-01", weight="75"),
    )
    result = evaluate(data, "2024-03-31")
    assert summary(result) == {("R7", "amber", "2024-02-01", "open")}
    assert "(possibly fluid)" in only(result, "R7").explanation


# --- R8 / R9 ---------------------------------------------------------------------------------


def test_new_lesion_with_stable_category_is_r8():
    result = evaluate(patient(imaging("2024-06-01", "SD", modality="mri", new_lesion=True)), "2024-06-30")
    assert summary(result) == {("R8", "red", "2024-06-01", "open")}
    assert result.status == "red"


def test_r9_mrs_worsening_once_per_episode():
    data = patient(
        ANCHOR,
        visit("2024-06-01", mrs=1),
        visit("2024-09-01", mrs=2),
        visit("2024-12-01", mrs=2),
        visit("2025-03-01", mrs=1),
        visit("2025-06-01", ecog=1),
        visit("2025-09-01", ecog=2),
    )
    assert summary(evaluate(data, "2025-12-31")) == {
        ("R9", "amber", "2024-09-01", "open"),
        ("R9", "amber", "2025-09-01", "open"),
    }


# --- R10 -------------------------------------------------------------------------------------


def two_domain_patient(symptom_day):
    return patient(
        ANCHOR,
        visit("2024-06-01", (1, 2)),
        visit("2024-09-01", (1, 3)),
        symptoms("2024-05-01", swelling=1),
        symptoms(symptom_day, swelling=5),
    )


def test_r10_when_two_domains_are_open_within_180_days():
    result = evaluate(two_domain_patient("2025-02-28"), "2025-03-31")
    assert ("R10", "red", "2025-02-28", "open") in summary(result)


def test_no_r10_when_the_ambers_are_181_days_apart():
    result = evaluate(two_domain_patient("2025-03-01"), "2025-03-31")
    assert "R10" not in rules_of(result)


def test_a_closed_amber_does_not_count_towards_r10():
    data = patient(
        ANCHOR,
        visit("2024-06-01", (1, 2)),
        visit("2024-09-01", (1, 3)),
        visit("2024-10-01", (1, 2)),
        symptoms("2024-05-01", swelling=1),
        symptoms("2024-10-15", swelling=5),
    )
    result = evaluate(data, "2024-12-31")
    assert ("R4", "amber", "2024-09-01", "closed") in summary(result)
    assert "R10" not in rules_of(result)


def test_two_ambers_in_one_domain_are_not_r10():
    data = patient(
        ANCHOR,
        vegf("2023-12-20", 3000),
        vegf("2024-07-01", 600),
        vegf("2024-10-01", 1300),
        vegf("2024-10-01", 130, "plasma"),
        vegf("2024-11-15", 100, "plasma"),
        vegf("2025-01-01", 200, "plasma"),
    )
    result = evaluate(data, "2025-01-31")
    assert [f.rule for f in result.flags if f.severity == "amber"] == ["R1", "R1"]
    assert "R10" not in rules_of(result)


# --- R11 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "flagged"), [(None, True), ("2024-06-03", True), ("2024-06-02", False)])
def test_r11_while_or_within_90_days_of_bortezomib(end, flagged):
    bortezomib = treatment("2024-04-15", end, agents=["bortezomib", "dexamethasone"], line=2)
    data = patient(ANCHOR, bortezomib, visit("2024-06-01", (1, 2)), visit("2024-09-01", (1, 3)))
    result = evaluate(data, "2024-09-30")
    assert ("R11" in rules_of(result)) is flagged
    if flagged:
        r11 = only(result, "R11")
        assert (r11.severity, r11.domain) == ("info", "clinical")
        assert r11.evidence["treatment_ids"] == [bortezomib.id]
        assert result.status == "amber"
