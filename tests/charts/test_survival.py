"""The clinic's Kaplan-Meier curves, against answers worked out by hand."""

from datetime import date, timedelta

import pytest

from tracker.charts.survival import at_risk, km_curve, survival_chart
from tracker.rules.outcomes import outcome_from

T0 = date(2020, 1, 1)


def test_kaplan_meier_matches_the_hand_computed_product_limit():
    # Five patients: events at 1, 3 and 5 months, censored at 2 and 4.
    # S(1) = 4/5 = 0.8; S(3) = 0.8 * 2/3 = 0.5333; S(5) = 0.5333 * 0/1 = 0.
    times, survival = km_curve([1, 2, 3, 4, 5], [True, False, True, False, True], "PFS")
    curve = dict(zip(times, survival, strict=True))
    assert curve[0.0] == 1.0
    assert curve[1.0] == pytest.approx(0.8)
    assert curve[2.0] == pytest.approx(0.8)
    assert curve[3.0] == pytest.approx(0.5333, abs=1e-4)
    assert curve[5.0] == 0.0


def test_numbers_at_risk_count_who_is_still_followed():
    assert at_risk([1, 2, 3, 4, 5], [0, 2, 4, 6]) == [5, 4, 2, 0]


def test_survival_chart_from_synthetic_timelines():
    as_of = T0 + timedelta(days=730)
    outcomes = [
        outcome_from(T0, [("relapse", T0 + timedelta(days=365))], as_of),
        outcome_from(T0, [("death", T0 + timedelta(days=500))], as_of),
        outcome_from(T0, [], as_of),
    ]
    chart = survival_chart(outcomes)
    assert (chart["n"], chart["pfs_events"], chart["os_events"]) == (3, 2, 1)
    # 730 days of follow-up is 23.98 months: the at-risk table stops at 12.
    assert chart["at_risk"]["times"] == [0, 12]
    # PFS durations 11.99 (relapse), 16.43 (death), 23.98 months (censored): two left at 12.
    assert chart["at_risk"]["pfs"] == [3, 2]
    # OS durations 23.98 (alive), 16.43 (death), 23.98 (alive): all three at 12.
    assert chart["at_risk"]["os"] == [3, 3]
    names = [trace["name"] for trace in chart["figure"]["data"]]
    assert names == ["Progression-free survival", "Overall survival"]
    lines = [trace["line"] for trace in chart["figure"]["data"]]
    assert len({(line["color"], line["dash"]) for line in lines}) == 2, "each curve has its own style"
    os_curve = chart["figure"]["data"][1]
    assert os_curve["y"][-1] == pytest.approx(0.6667, abs=1e-4)  # one death among three at 16.43 months


def test_no_patient_no_figure():
    assert survival_chart([])["figure"] is None
