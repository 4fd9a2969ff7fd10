"""Review of lab results by a clinician: what lets the portal show an abnormal result."""

from django.utils import timezone

from tracker.models import RecordStatus


def results_mark_reviewed(results, *, actor) -> int:
    """Stamp lab results not yet reviewed as reviewed by `actor` now, each change kept in the
    result's history (one save per row; a flag cites a handful). Returns how many were stamped."""
    now = timezone.now()
    count = 0
    for row in results:
        if row.reviewed_at is not None or row.status != RecordStatus.FINAL:
            continue
        row.reviewed_by, row.reviewed_at, row.updated_by, row._history_user = actor, now, actor, actor
        row.version += 1
        row.save(update_fields=["reviewed_by", "reviewed_at", "updated_by", "updated_at", "version"])
        count += 1
    return count
