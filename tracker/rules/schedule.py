"""The follow-up schedule: which phase a patient is in and when each item is next due
(POEMS-DOMAIN.md section 7). The one definition of "due" for the rules, the worklist, the due
list, the portal and the reminders. Pure: no Django, `as_of` given explicitly.

Phases. Before any disease-directed treatment there is no calendar schedule. While a
radiotherapy, transplant or systemic treatment runs (and has not yet set a response anchor) the
patient is on treatment: checks follow the cycles of the line. From the latest anchor T0 the
patient is in response assessment (after radiotherapy: the RT review) for `response_phase_m`
months, then in early surveillance until `CFG_SURV_EARLY_YEARS`, then late surveillance, then
lifelong follow-up from `lifelong_after_years` (same intervals as late: follow-up never ends).

Due dates. Each item is due one interval after it was last done since the phase began (the
line start on treatment, T0 afterwards), or one interval after that start when not done since;
the interval is the one in force on that reference day. A new treatment line therefore resets
the clock, and an item done in the early years keeps the early interval for its next due date.

The spec's "overdue VEGF > 1.5x interval -> INFO" is deliberately not a flag: overdue work
belongs on the worklist and the due list, which read `overdue_days`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.rules.data import PatientData, TreatmentPoint
from tracker.rules.params import RuleParams
from tracker.rules.schedule_params import (
    AFTER_RT,
    DECEASED,
    ITEM_ANALYTES,
    ITEMS,
    LIFELONG,
    OFF_BY_DEFAULT,
    ON_TREATMENT,
    RESPONSE_ASSESSMENT,
    SURVEILLANCE_EARLY,
    SURVEILLANCE_LATE,
    SURVEILLANCE_PHASES,
    UNTREATED,
    ScheduleParams,
    default_intervals,
)
from tracker.rules.series import Context

FBC_ANALYTES = ("platelets", "hemoglobin", "hematocrit")
DISEASE_DIRECTED = ("radiotherapy", "asct", "systemic_anti_plasma_cell")
MAX_INTERVAL_M = 60


@dataclass(frozen=True)
class DueItem:
    """A surveillance item overdue on the evaluation day (`last_done` None = never done)."""

    item: str
    last_done: date | None
    due_on: date
    overdue_days: int


@dataclass(frozen=True)
class ItemOverride:
    """A clinic's or a patient's change to one item: on/off and, optionally, the interval
    (months) that replaces the surveillance intervals."""

    enabled: bool = True
    interval_months: int | None = None
    reason: str = ""
    source: str = "patient"


@dataclass(frozen=True)
class ScheduledItem:
    """One item of a patient's plan on the day: `due_on` None when not scheduled now."""

    item: str
    enabled: bool
    interval_months: int | None
    last_done: date | None
    due_on: date | None
    overdue_days: int
    source: str = "spec"
    reason: str = ""
    interval_days: int | None = None

    def due_within(self, as_of: date, days: int) -> bool:
        return self.due_on is not None and self.due_on <= as_of + timedelta(days=days)


@dataclass(frozen=True)
class Schedule:
    phase: str
    phase_since: date | None
    items: tuple[ScheduledItem, ...]

    def item(self, name: str) -> ScheduledItem:
        return next(i for i in self.items if i.item == name)


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
    """When a core surveillance item (visit, VEGF, FBC) is next due after T0, and the interval
    (months) that sets it. The worklist reads this; `patient_schedule` agrees with it."""
    reference = last_done if last_done is not None and last_done > anchor_day else anchor_day
    months = interval_months(params, anchor_day, reference)
    return add_months(reference, months), months


def report_due_on(*, last_report_on: date | None, interval_days: int, start_on: date) -> date:
    """The day the next self-report is due: `interval_days` after the last one, or `start_on`
    (the day the patient joined the portal) when there has been none."""
    if last_report_on is None:
        return start_on
    try:
        return last_report_on + timedelta(days=interval_days)
    except OverflowError:  # a stored report dated at the calendar's end
        return date.max


def overdue_items(ctx: Context) -> tuple[DueItem, ...]:
    """The visit, VEGF and FBC overdue after the latest anchor (for the rule engine's evaluation)."""
    anchor = ctx.timeline.latest()
    if anchor is None or ctx.data.died_on is not None:
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


# --- the whole plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSpan:
    phase: str
    start: date | None
    anchor: date | None = None


def phase_on(data: PatientData, day: date, *, rules: RuleParams, params: ScheduleParams) -> PhaseSpan:
    """The patient's phase on `day` and when it began (`data` already cut at `day` or later)."""
    if data.died_on is not None and data.died_on <= day:
        return PhaseSpan(DECEASED, data.died_on)
    treatments = [t for t in data.treatments if t.category in DISEASE_DIRECTED and t.start_date <= day]
    anchors = [t for t in treatments if t.anchor_date is not None and t.anchor_date <= day]
    latest = max(anchors, key=lambda t: (t.anchor_date, t.id), default=None)
    running = [
        t
        for t in treatments
        if (t.end_date is None or t.end_date >= day) and (latest is None or t.start_date > latest.anchor_date)
    ]
    if running:
        return PhaseSpan(ON_TREATMENT, _line_start(min(running, key=lambda t: t.start_date), treatments))
    if latest is None:
        return PhaseSpan(UNTREATED, None)
    t0 = latest.anchor_date
    if day < add_months(t0, params.response_phase_m):
        return PhaseSpan(AFTER_RT if latest.category == "radiotherapy" else RESPONSE_ASSESSMENT, t0, t0)
    if day < add_months(t0, 12 * rules.surv_early_years):
        return PhaseSpan(SURVEILLANCE_EARLY, t0, t0)
    if day < add_months(t0, 12 * params.lifelong_after_years):
        return PhaseSpan(SURVEILLANCE_LATE, t0, t0)
    return PhaseSpan(LIFELONG, t0, t0)


def _line_start(treatment: TreatmentPoint, treatments: list[TreatmentPoint]) -> date:
    if treatment.line is None:
        return treatment.start_date
    return min(t.start_date for t in treatments if t.line == treatment.line)


def vegf_specimen(data: PatientData) -> str:
    """The specimen type of the patient's baseline VEGF: the last before the first treatment,
    else the first ever. VEGF in serum and plasma are not comparable (section 6.2)."""
    vegf = sorted((lab for lab in data.labs if lab.analyte == "vegf"), key=lambda lab: (lab.collected_on, lab.id))
    if not vegf:
        return ""
    starts = [t.start_date for t in data.treatments if t.category in DISEASE_DIRECTED]
    first_start = min(starts, default=None)
    before = [lab for lab in vegf if first_start is None or lab.collected_on <= first_start]
    return (before[-1] if before else vegf[0]).specimen


def last_done_by_item(data: PatientData) -> dict[str, date | None]:
    """The last day each item was done, from the records that count for it."""
    specimen = vegf_specimen(data)
    last: dict[str, date | None] = dict.fromkeys(ITEMS)

    def seen(item: str, day: date) -> None:
        if last[item] is None or day > last[item]:
            last[item] = day

    for lab in data.labs:
        for item, analytes in ITEM_ANALYTES.items():
            if lab.analyte in analytes and (item != "vegf" or lab.specimen == specimen):
                seen(item, lab.collected_on)
    for visit in data.visits:
        seen("visit", visit.visit_date)
    for row in data.ncs:
        seen("ncs", row.study_date)
    for study in data.imaging:
        seen("imaging", study.study_date)
    for report in data.symptoms:
        seen("self_report", report.reported_on)
    return last


def patient_schedule(
    data: PatientData,
    *,
    as_of: date,
    rules: RuleParams,
    params: ScheduleParams,
    overrides: Mapping[str, ItemOverride] | None = None,
    report_interval_days: int | None = None,
    report_start_on: date | None = None,
) -> Schedule:
    """Every item of the patient's plan on `as_of`: interval, last done, next due, days overdue.

    `overrides` are the clinic's defaults merged with the patient's own plan (patient wins).
    Self-report is scheduled only for a patient with a portal account (`report_interval_days`
    and `report_start_on` given), every `report_interval_days` days.
    """
    data = data.up_to(as_of)
    overrides = overrides or {}
    table = default_intervals(params, surv_early_m=rules.surv_interval_early_m, surv_late_m=rules.surv_interval_late_m)
    span = phase_on(data, as_of, rules=rules, params=params)
    last_done = last_done_by_item(data)
    if span.phase == DECEASED:
        ended = f"follow-up ended: death recorded on {span.start.isoformat()}"
        return Schedule(
            span.phase,
            span.start,
            tuple(ScheduledItem(i, False, None, last_done[i], None, 0, "spec", ended) for i in ITEMS),
        )
    items = []
    for item in ITEMS:
        override = overrides.get(item)
        enabled = override.enabled if override else item not in OFF_BY_DEFAULT
        source, reason = (override.source, override.reason) if override else ("spec", "")
        if item == "self_report":
            items.append(_self_report(last_done[item], as_of, enabled, source, reason,
                                      report_interval_days, report_start_on))  # fmt: skip
            continue
        current = _months_in(table, span.phase, item, override)
        if not enabled or current is None or span.start is None:
            items.append(ScheduledItem(item, enabled, current, last_done[item], None, 0, source, reason))
            continue
        last = last_done[item]
        reference = last if last is not None and last > span.start else span.start
        months = current
        if span.anchor is not None:
            reference_phase = phase_on(data, reference, rules=rules, params=params).phase
            months = _months_in(table, reference_phase, item, override) or current
        due_on = add_months(reference, months)
        overdue = max((as_of - due_on).days, 0)
        items.append(ScheduledItem(item, True, months, last, due_on, overdue, source, reason))
    return Schedule(span.phase, span.start, tuple(items))


def _months_in(table: dict, phase: str, item: str, override: ItemOverride | None) -> int | None:
    """The item's interval in a phase: the plan's own interval replaces the surveillance ones;
    during treatment and response assessment the protocol's intervals apply."""
    if override and override.interval_months and phase in SURVEILLANCE_PHASES and phase in table:
        return override.interval_months
    return table[phase].get(item)


def _self_report(last, as_of, enabled, source, reason, interval_days, start_on) -> ScheduledItem:
    if not enabled or interval_days is None or start_on is None:
        return ScheduledItem("self_report", enabled, None, last, None, 0, source, reason or "no portal account")
    due_on = report_due_on(last_report_on=last, interval_days=interval_days, start_on=start_on)
    months = max(1, round(interval_days / 30))
    overdue = max((as_of - due_on).days, 0)
    return ScheduledItem("self_report", True, months, last, due_on, overdue, source, reason, interval_days)


def overrides_merged(*layers: Mapping[str, ItemOverride]) -> dict[str, ItemOverride]:
    """Later layers win item by item (clinic defaults, then the patient's plan)."""
    merged: dict[str, ItemOverride] = {}
    for layer in layers:
        merged.update(layer)
    return merged
