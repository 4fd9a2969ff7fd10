"""Post-treatment surveillance: what is overdue (POEMS-DOMAIN.md section 7).

From the latest anchor, a visit, a VEGF and a full blood count are due every
`CFG_SURV_INTERVAL_EARLY_M` months for `CFG_SURV_EARLY_YEARS` years, then every
`CFG_SURV_INTERVAL_LATE_M` months. Each item is due one interval after it was last done since
the anchor (or after the anchor itself when it has not been done since); the interval is the
one in force on that reference day. Before any anchor the patient is on treatment, where
checks follow the cycles rather than a calendar, so nothing is reported as overdue.

The spec's "overdue VEGF > 1.5x interval -> INFO" is deliberately not a flag: overdue work
belongs on the worklist, which reads `DueItem.overdue_days`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from tracker.rules.params import RuleParams
from tracker.rules.series import Context

FBC_ANALYTES = ("platelets", "hemoglobin", "hematocrit")


@dataclass(frozen=True)
class DueItem:
    """A surveillance item overdue on the evaluation day (`last_done` None = never done)."""

    item: str
    last_done: date | None
    due_on: date
    overdue_days: int


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:  # a stored date at the calendar's end
        return date.max if months > 0 else date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_months(params: RuleParams, anchor_day: date, reference: date) -> int:
    """Early interval for the first years after the anchor, the late one afterwards."""
    early_until = add_months(anchor_day, 12 * params.surv_early_years)
    return params.surv_interval_early_m if reference < early_until else params.surv_interval_late_m


def next_due(params: RuleParams, anchor_day: date, last_done: date | None) -> tuple[date, int]:
    """When an item is next due, and the interval (months) that sets it: one interval after it
    was last done since the anchor, or after the anchor when not done since. The worklist uses
    this too, so both read one definition of the schedule."""
    reference = last_done if last_done is not None and last_done > anchor_day else anchor_day
    months = interval_months(params, anchor_day, reference)
    return add_months(reference, months), months


def overdue_items(ctx: Context) -> tuple[DueItem, ...]:
    anchor = ctx.timeline.latest()
    if anchor is None:
        return ()
    labs = ctx.data.labs
    last_done = {
        "visit": max((v.visit_date for v in ctx.data.visits), default=None),
        "vegf": max((lab.collected_on for lab in labs if lab.analyte == "vegf"), default=None),
        "fbc": max((lab.collected_on for lab in labs if lab.analyte in FBC_ANALYTES), default=None),
    }
    items = []
    for item, last in last_done.items():
        due_on, _months = next_due(ctx.params, anchor.day, last)
        if ctx.as_of > due_on:
            items.append(DueItem(item, last, due_on, (ctx.as_of - due_on).days))
    return tuple(items)
