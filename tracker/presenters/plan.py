"""The patient page's follow-up plan panel."""

from django.utils import timezone

from tracker.access import is_consultant
from tracker.rules.schedule_params import PHASE_LABELS
from tracker.services.due import DueRow, schedule_for_patient


def plan_panel_context(patient, data, *, user, portal) -> dict:
    """The patient page's plan panel from the records the page already loaded. One query."""
    today = timezone.localdate()
    schedule = schedule_for_patient(patient, data, as_of=today, portal=portal)
    return {
        "plan_panel": {
            "schedule": schedule,
            "today": today,
            "phase_label": PHASE_LABELS[schedule.phase],
            "rows": [DueRow(patient, entry) for entry in schedule.items],
            "can_edit": is_consultant(user),
        }
    }
