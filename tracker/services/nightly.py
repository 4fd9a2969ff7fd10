"""The nightly re-evaluation: statuses change with time alone (overdue follow-up, confirmation
windows), so every patient's flags and worklist row are refreshed once a day by the worker."""

import datetime

from tracker.models import Patient, RecordStatus
from tracker.services.flags import flags_store_all

BATCH = 200


def nightly_reevaluation(*, today: datetime.date) -> dict:
    """Re-evaluate every patient in batches (six reads per batch plus the writes), reading
    only the ids up front so memory stays flat whatever the number of patients."""
    ids = list(Patient.objects.filter(status=RecordStatus.FINAL).order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH):
        done += flags_store_all(Patient.objects.filter(pk__in=ids[start : start + BATCH]).order_by("pk"), chunk=BATCH)
    return {"patients": done}
