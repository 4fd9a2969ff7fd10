"""The read audit on the patient page: consultants see who has opened the record."""

from tracker.access import is_consultant
from tracker.accounts.audit import patient_reads_recent

RECENT_READS = 20


def patient_reads_context(patient, request) -> dict:
    """For consultants, the last twenty reads of the record (one query); nothing for others."""
    if not is_consultant(request.user):
        return {}
    return {"patient_reads": list(patient_reads_recent(patient, limit=RECENT_READS))}
