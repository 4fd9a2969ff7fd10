"""A recorded death ends follow-up: nothing is due or overdue after it, before it nothing changes."""

from __future__ import annotations

from dataclasses import replace

from rules_builders import d, evaluate, patient, treatment, visit

from tracker.rules import RuleParams
from tracker.rules.schedule import patient_schedule
from tracker.rules.schedule_params import DECEASED, ITEMS, ScheduleParams

FRONTLINE = treatment("2024-01-01", "2024-06-30", anchor="2024-06-30")


def plan(data, as_of):
    return patient_schedule(data, as_of=d(as_of), rules=RuleParams(), params=ScheduleParams())


def test_nothing_is_due_after_a_recorded_death():
    alive = patient(FRONTLINE, visit("2024-09-30"))
    assert plan(alive, "2026-01-01").item("visit").overdue_days > 0
    dead = replace(alive, died_on=d("2025-03-01"))
    schedule = plan(dead, "2026-01-01")
    assert schedule.phase == DECEASED and schedule.phase_since == d("2025-03-01")
    assert [entry.item for entry in schedule.items] == list(ITEMS)
    assert all(entry.due_on is None and not entry.enabled and entry.overdue_days == 0 for entry in schedule.items)
    assert schedule.item("visit").reason == "follow-up ended: death recorded on 2025-03-01"
    assert schedule.item("visit").last_done == d("2024-09-30")


def test_the_plan_before_the_death_is_unchanged():
    alive = patient(FRONTLINE, visit("2024-09-30"))
    dead = replace(alive, died_on=d("2025-03-01"))
    assert plan(dead, "2025-02-01") == plan(alive, "2025-02-01")


def test_no_overdue_follow_up_is_reported_for_a_dead_patient():
    data = patient(treatment("2020-01-01", "2020-06-30", anchor="2020-06-30"), visit("2020-09-01"))
    assert evaluate(data, "2024-12-31").overdue != ()
    assert evaluate(replace(data, died_on=d("2021-01-01")), "2024-12-31").overdue == ()
    # A death recorded with a later date does not end follow-up before it happened.
    assert evaluate(replace(data, died_on=d("2025-06-01")), "2024-12-31").overdue != ()
