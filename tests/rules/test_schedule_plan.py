"""The per-patient follow-up plan (section 7) on synthetic timelines with known due dates."""

from __future__ import annotations

import pytest
from rules_builders import d, lab, ncs, patient, treatment, vegf, visit

from tracker.rules import RuleParams
from tracker.rules.schedule import ItemOverride, next_due, overrides_merged, patient_schedule
from tracker.rules.schedule_params import ITEMS, ScheduleParams

RULES = RuleParams()
PARAMS = ScheduleParams()
FRONTLINE = treatment("2024-01-01", "2024-06-30", anchor="2024-06-30")
RT = treatment("2024-01-01", "2024-02-15", anchor="2024-02-15", category="radiotherapy", line=None)


def plan(data, as_of, **kw):
    return patient_schedule(data, as_of=d(as_of), rules=RULES, params=PARAMS, **kw)


def due(data, as_of, item, **kw):
    entry = plan(data, as_of, **kw).item(item)
    return (entry.due_on and entry.due_on.isoformat(), entry.interval_months, entry.overdue_days)


# (records, as_of, phase, item, due_on, interval_months, overdue_days)
CASES = [
    # during treatment: labs each cycle from the line start, the visit at 3 months
    ((FRONTLINE,), "2024-03-15", "on_treatment", "fbc", "2024-02-01", 1, 43),
    ((FRONTLINE, lab("2024-03-01", "platelets", 200)), "2024-03-15", "on_treatment", "fbc", "2024-04-01", 1, 0),
    ((FRONTLINE,), "2024-03-15", "on_treatment", "visit", "2024-04-01", 3, 0),
    ((FRONTLINE,), "2024-03-15", "on_treatment", "endocrine", "2024-04-01", 3, 0),
    ((FRONTLINE,), "2024-03-15", "on_treatment", "ncs", None, None, 0),
    # response assessment: 3 months after T0
    ((FRONTLINE,), "2024-08-01", "response_assessment", "visit", "2024-09-30", 3, 0),
    ((FRONTLINE,), "2024-08-01", "response_assessment", "spep_ife", "2024-09-30", 3, 0),
    (
        (FRONTLINE, lab("2024-05-01", "m_protein", 0.5)),
        "2024-10-10",
        "response_assessment",
        "spep_ife",
        "2024-09-30",
        3,
        10,
    ),  # fmt: skip
    # early surveillance: the interval in force when last done
    ((FRONTLINE, visit("2024-09-30")), "2025-01-15", "surveillance_early", "visit", "2024-12-30", 3, 16),
    (
        (FRONTLINE, lab("2024-09-30", "creatinine", 80)),
        "2025-01-15",
        "surveillance_early",
        "chemistry",
        "2024-12-30",
        3,
        16,
    ),  # fmt: skip
    (
        (FRONTLINE, lab("2025-01-02", "albumin", 40)),
        "2025-01-15",
        "surveillance_early",
        "chemistry",
        "2025-07-02",
        6,
        0,
    ),  # fmt: skip
    ((FRONTLINE,), "2025-01-15", "surveillance_early", "ncs", "2025-06-30", 12, 0),
    ((FRONTLINE, ncs("2025-05-01", cmap=3)), "2025-07-15", "surveillance_early", "ncs", "2026-05-01", 12, 0),
    # the early/late boundary (T0 + 2 years = 2026-06-30)
    ((FRONTLINE, visit("2026-06-29")), "2026-08-01", "surveillance_late", "visit", "2026-09-29", 3, 0),
    ((FRONTLINE, visit("2026-06-30")), "2026-08-01", "surveillance_late", "visit", "2026-12-30", 6, 0),
    ((FRONTLINE, visit("2029-01-10")), "2029-08-01", "lifelong", "visit", "2029-07-10", 6, 22),
    # a new treatment line resets the clock to its start
    (
        (FRONTLINE, lab("2025-01-10", "hemoglobin", 130), treatment("2025-03-01", line=2)),
        "2025-03-20",
        "on_treatment",
        "fbc",
        "2025-04-01",
        1,
        0,
    ),  # fmt: skip
    ((FRONTLINE, treatment("2025-03-01", line=2)), "2025-05-20", "on_treatment", "visit", "2025-06-01", 3, 0),
    # after radiotherapy: the review 3 months after RT
    ((RT,), "2024-04-01", "after_rt", "visit", "2024-05-15", 3, 0),
    ((RT,), "2024-06-01", "after_rt", "vegf", "2024-05-15", 3, 17),
    # untreated: no calendar schedule
    ((visit("2024-01-01"),), "2024-12-31", "untreated", "visit", None, None, 0),
]


@pytest.mark.parametrize(("records", "as_of", "phase", "item", "due_on", "months", "overdue"), CASES)
def test_known_due_dates(records, as_of, phase, item, due_on, months, overdue):
    data = patient(*records)
    assert plan(data, as_of).phase == phase
    assert due(data, as_of, item) == (due_on, months, overdue)


def test_every_contract_item_is_in_the_plan():
    assert [i.item for i in plan(patient(FRONTLINE), "2025-01-01").items] == list(ITEMS)


def test_vegf_counts_only_on_the_baseline_specimen():
    data = patient(vegf("2023-12-01", 900, specimen="plasma"), FRONTLINE, vegf("2024-10-01", 500, specimen="serum"))
    entry = plan(data, "2025-01-15").item("vegf")
    assert entry.last_done == d("2023-12-01")
    assert entry.due_on == d("2024-09-30")
    data = patient(vegf("2023-12-01", 900, specimen="plasma"), FRONTLINE, vegf("2024-10-01", 500, specimen="plasma"))
    assert plan(data, "2025-01-15").item("vegf").due_on == d("2025-01-01")


def test_surveillance_items_agree_with_the_worklist_definition():
    for last in (None, "2024-09-01", "2026-07-01"):
        records = [FRONTLINE] + ([visit(last)] if last else [])
        expected, months = next_due(RULES, d("2024-06-30"), d(last) if last else None)
        assert due(patient(*records), "2026-12-31", "visit")[:2] == (expected.isoformat(), months)


def test_imaging_is_off_unless_switched_on():
    assert plan(patient(FRONTLINE), "2025-01-15").item("imaging").enabled is False
    on = {"imaging": ItemOverride(enabled=True, reason="new bone lesion to follow")}
    assert due(patient(FRONTLINE), "2025-01-15", "imaging", overrides=on) == ("2025-06-30", 12, 0)


def test_a_plan_interval_replaces_surveillance_intervals_only():
    four = {"vegf": ItemOverride(interval_months=4, reason="stable for years")}
    assert due(patient(FRONTLINE, vegf("2026-09-01", 300)), "2026-10-01", "vegf", overrides=four)[:2] == (
        "2027-01-01",
        4,
    )
    assert due(patient(FRONTLINE), "2024-03-15", "vegf", overrides=four)[:2] == ("2024-02-01", 1)


def test_a_switched_off_item_is_never_due():
    off = {"ncs": ItemOverride(enabled=False, reason="cannot travel to the lab")}
    entry = plan(patient(FRONTLINE), "2026-01-01", overrides=off).item("ncs")
    assert (entry.enabled, entry.due_on, entry.reason) == (False, None, "cannot travel to the lab")


def test_patient_plan_wins_over_clinic_defaults():
    clinic = {"vegf": ItemOverride(interval_months=6, source="clinic")}
    own = {"vegf": ItemOverride(interval_months=2, source="patient")}
    merged = overrides_merged(clinic, own)
    assert merged["vegf"].interval_months == 2
    assert plan(patient(FRONTLINE), "2026-01-01", overrides=merged).item("vegf").source == "patient"


def test_self_report_follows_the_patient_interval_in_days():
    data = patient(FRONTLINE)
    assert plan(data, "2025-01-01").item("self_report").due_on is None
    entry = plan(data, "2025-01-01", report_interval_days=28, report_start_on=d("2024-12-01")).item("self_report")
    assert (entry.due_on, entry.interval_days, entry.overdue_days) == (d("2024-12-01"), 28, 31)


def test_schedule_settings_refuse_unknown_keys_and_out_of_range_months():
    assert ScheduleParams.from_mapping({"CFG_SCHED_NCS_INTERVAL_M": 6}).ncs_interval_m == 6
    with pytest.raises(ValueError, match="unknown"):
        ScheduleParams.from_mapping({"CFG_SCHED_NCS": 6})
    with pytest.raises(ValueError, match="1 to 60"):
        ScheduleParams.from_mapping({"CFG_SCHED_NCS_INTERVAL_M": 0})
