"""Outcome times from clinician-confirmed events (issue 14): pure, no Django.

For each response anchor T0: the days to the first confirmed relapse or progression after it,
and to death on or after it. Progression-free survival ends at the first of relapse,
progression or death; overall survival at death; either is censored at `as_of` (the last day
the record covers) when its event has not happened. Flags never count: only events a
clinician recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

PROGRESSION_EVENTS = frozenset({"relapse", "progression"})
DEATH = "death"


@dataclass(frozen=True)
class Outcome:
    anchor: date
    relapse_on: date | None  # first confirmed relapse or progression after the anchor
    death_on: date | None
    pfs_days: int  # to relapse, progression or death; else to as_of (censored)
    pfs_event: bool
    os_days: int  # to death; else to as_of (censored)
    os_event: bool

    @property
    def days_to_relapse(self) -> int | None:
        return (self.relapse_on - self.anchor).days if self.relapse_on else None

    @property
    def days_to_death(self) -> int | None:
        return (self.death_on - self.anchor).days if self.death_on else None


def outcome_from(anchor: date, events: Iterable[tuple[str, date]], as_of: date) -> Outcome:
    """The outcome of one anchor; `events` are (event code, onset date) pairs of one patient."""
    events = list(events)
    relapses = sorted(day for code, day in events if code in PROGRESSION_EVENTS and day > anchor)
    deaths = sorted(day for code, day in events if code == DEATH and day >= anchor)
    relapse_on = relapses[0] if relapses else None
    death_on = deaths[0] if deaths else None
    pfs_end = min((d for d in (relapse_on, death_on) if d), default=None)
    end = max(as_of, anchor)
    return Outcome(
        anchor=anchor,
        relapse_on=relapse_on,
        death_on=death_on,
        pfs_days=((pfs_end or end) - anchor).days,
        pfs_event=pfs_end is not None,
        os_days=((death_on or end) - anchor).days,
        os_event=death_on is not None,
    )


def outcomes(anchors: Iterable[date], events: Iterable[tuple[str, date]], as_of: date) -> list[Outcome]:
    """One outcome per response anchor, oldest first."""
    events = list(events)
    return [outcome_from(anchor, events, as_of) for anchor in sorted(set(anchors))]
