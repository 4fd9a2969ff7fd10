"""The response anchor T0 of a treatment: its one definition (INTERFACES.md section 1).

An explicit anchor date wins; otherwise radiotherapy, ASCT and any frontline treatment anchor
at their end date; other treatments set no T0. `tracker.models.TreatmentQuerySet.with_t0`
states the same rule in SQL from these constants, and a test checks that both agree.
"""

from datetime import date

ANCHORING_CATEGORIES = ("radiotherapy", "asct")
ANCHORING_INTENTS = ("frontline",)


def response_anchor(*, anchor_date: date | None, category: str, intent: str, end_date: date | None) -> date | None:
    if anchor_date:
        return anchor_date
    if category in ANCHORING_CATEGORIES or intent in ANCHORING_INTENTS:
        return end_date
    return None
