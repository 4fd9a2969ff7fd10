"""The nightly re-evaluation: statuses change with time alone (overdue follow-up, confirmation
windows), so every patient's flags and worklist row are refreshed once a day by the worker."""

import datetime

from tracker.models import Patient, RecordStatus
from tracker.services.flags import flags_store_all

BATCH = 200


def nightly_reevaluation(*, today: datetime.date) -> dict:
    """Re-evaluate and store every patient's flags and worklist row, in batches of BATCH
    patients (six reads per batch plus the writes), memory flat whatever the number."""
    return {"patients": flags_store_all(Patient.objects.filter(status=RecordStatus.FINAL), chunk=BATCH)}
