"""Entry point: evaluate one patient's data as it stood on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.rules.data import PatientData
from tracker.rules.flags import FlagResult, patient_status
from tracker.rules.params import RuleParams
from tracker.rules.relapse import relapse_flags
from tracker.rules.response import best_responses
from tracker.rules.schedule import DueItem, overdue_items
from tracker.rules.series import Context


@dataclass(frozen=True)
class Evaluation:
    """Everything the rules conclude about one patient on `as_of`.

    `flags` holds every flag ever raised by the data up to `as_of` (closed ones included, in
    date order); `status` is the highest open severity ('green' when only INFO or none);
    `response` the best response per domain since `anchor`, the latest response anchor.
    """

    flags: tuple[FlagResult, ...]
    response: dict[str, str]
    status: str
    anchor: date | None
    overdue: tuple[DueItem, ...]


def evaluate_patient(data: PatientData, *, as_of: date, params: RuleParams) -> Evaluation:
    """Run every rule on `data` dated up to and including `as_of`; later data is ignored.

    Pure and deterministic: no clock, no database, and the same arguments give an equal
    result, so flags can be upserted by key and re-evaluation changes nothing.
    """
    ctx = Context.build(data, as_of, params)
    flags = tuple(relapse_flags(ctx))
    anchor = ctx.timeline.latest()
    return Evaluation(
        flags=flags,
        response=best_responses(ctx),
        status=patient_status(flags),
        anchor=anchor.day if anchor else None,
        overdue=overdue_items(ctx),
    )
