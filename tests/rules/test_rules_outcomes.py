"""Outcome times from confirmed events, on synthetic timelines with known answers."""

from datetime import date

from tracker.rules.outcomes import outcome_from, outcomes

T0 = date(2022, 1, 10)
AS_OF = date(2025, 1, 10)


def test_no_event_is_censored_at_the_day_of_the_record():
    o = outcome_from(T0, [], AS_OF)
    assert (o.pfs_days, o.pfs_event, o.os_days, o.os_event) == (1096, False, 1096, False)
    assert o.days_to_relapse is None and o.days_to_death is None


def test_relapse_then_death():
    events = [("relapse", date(2023, 1, 10)), ("death", date(2024, 1, 10)), ("dvt", date(2022, 3, 1))]
    o = outcome_from(T0, events, AS_OF)
    assert o.relapse_on == date(2023, 1, 10) and o.days_to_relapse == 365
    assert o.death_on == date(2024, 1, 10) and o.days_to_death == 730
    assert (o.pfs_days, o.pfs_event, o.os_days, o.os_event) == (365, True, 730, True)


def test_death_without_relapse_ends_progression_free_survival():
    o = outcome_from(T0, [("death", date(2022, 4, 10))], AS_OF)
    assert (o.pfs_days, o.pfs_event, o.os_days, o.os_event) == (90, True, 90, True)
    assert o.relapse_on is None


def test_first_progression_after_the_anchor_counts_and_earlier_ones_do_not():
    events = [("progression", date(2021, 6, 1)), ("progression", date(2022, 7, 9)), ("relapse", date(2023, 2, 1))]
    o = outcome_from(T0, events, AS_OF)
    assert o.relapse_on == date(2022, 7, 9) and o.days_to_relapse == 180


def test_one_outcome_per_anchor_oldest_first():
    second = date(2023, 6, 1)
    events = [("relapse", date(2023, 1, 10)), ("relapse", date(2024, 6, 1))]
    found = outcomes([second, T0, T0], events, AS_OF)
    assert [o.anchor for o in found] == [T0, second]
    assert [o.days_to_relapse for o in found] == [365, 366]
