"""Follow-up plans: a clinic's defaults and a patient's own plan, changed by consultants only."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tracker.access import is_consultant
from tracker.models import Clinic, Patient
from tracker.models.schedule import PlanItem
from tracker.rules.schedule import MAX_INTERVAL_M
from tracker.rules.schedule_params import ITEMS, ScheduleParams
from tracker.services.common import save_validated


def schedule_params() -> ScheduleParams:
    """This deployment's schedule intervals: the spec's defaults with settings.POEMS_SCHEDULE_OVERRIDES."""
    return ScheduleParams.from_mapping(getattr(settings, "POEMS_SCHEDULE_OVERRIDES", {}))


def _check(*, item: str, enabled: bool, interval_months, reason: str) -> None:
    errors = {}
    if item not in ITEMS:
        errors["item"] = f"Unknown item {item!r}; allowed: {', '.join(ITEMS)}."
    if interval_months is not None and (
        isinstance(interval_months, bool)
        or not isinstance(interval_months, int)
        or not 1 <= interval_months <= MAX_INTERVAL_M
    ):
        errors["interval_months"] = f"Interval must be a whole number between 1 and {MAX_INTERVAL_M} months."
    if item == "self_report" and interval_months is not None:
        errors["interval_months"] = (
            "The self-report interval is the patient's report interval in days (patient details), not months."
        )
    if not enabled and not reason.strip():
        errors["reason"] = "Give a reason for switching this item off."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_item_set(
    *,
    actor,
    item: str,
    enabled: bool,
    interval_months: int | None,
    reason: str,
    patient: Patient | None = None,
    clinic: Clinic | None = None,
) -> PlanItem:
    """Change one item of a patient's plan (or of a clinic's defaults when `clinic` is given).

    Only a consultant may change a plan, and only for a patient or clinic they belong to;
    anyone else gets PermissionDenied and nothing is saved. The prior version stays in the
    item's history with who changed it and when.
    """
    if (patient is None) == (clinic is None):
        raise ValueError("Give either a patient or a clinic.")
    owner_clinic = patient.clinic if patient is not None else clinic
    if not is_consultant(actor) or not owner_clinic.members.filter(pk=actor.pk).exists():
        raise PermissionDenied("Only a consultant of the patient's clinic can change a follow-up plan.")
    reason = (reason or "").strip()
    _check(item=item, enabled=enabled, interval_months=interval_months, reason=reason)
    lookup = {"patient": patient} if patient is not None else {"clinic": clinic}
    plan = PlanItem.objects.select_for_update().filter(item=item, **lookup).first() or PlanItem(item=item, **lookup)
    plan.enabled, plan.interval_months, plan.reason = enabled, interval_months, reason
    save_validated(plan, actor=actor)
    return plan
