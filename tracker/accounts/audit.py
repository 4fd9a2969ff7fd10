"""The read audit and the account-action audit: the only code that writes their rows.

`patient_reads_record` is called by every view that shows a patient's pages, lists patients
(one row per patient listed) or exports them. It costs one INSERT per call (a bulk insert for a
list), in the request's own transaction.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from tracker.models.accounts import AccountAction, PatientRead


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def patient_reads_record(*, user, patients: Iterable, what: str) -> int:
    """Record that `user` saw `patients` (`what`: "patient page", "search", ...). Returns the
    number of rows written; nothing for anonymous users or patients reading their own record."""
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = [
        PatientRead(user=user, username=user.get_username(), patient=p, mrn=p.mrn, what=what[:80]) for p in patients
    ]
    PatientRead.objects.bulk_create(rows)
    return len(rows)


def account_action_record(*, action: str, actor=None, subject=None, detail: str = "", request=None) -> AccountAction:
    """Record an account change or second-factor check (`action` is a dotted code)."""
    return AccountAction.objects.create(
        action=action, actor=actor, subject=subject, detail=detail[:200], ip_address=client_ip(request)
    )


def patient_reads_recent(patient, *, limit: int = 20) -> QuerySet[PatientRead]:
    """Who has opened this record, newest first: one query."""
    return PatientRead.objects.filter(patient=patient).order_by("-at", "-id")[:limit]


def access_log_rows(*, mrn: str | None = None, username: str | None = None, since=None) -> QuerySet[PatientRead]:
    """The read audit, oldest first, filtered as `manage.py access_log` is asked."""
    rows = PatientRead.objects.order_by("at", "id")
    if mrn:
        rows = rows.filter(mrn=mrn)
    if username:
        rows = rows.filter(username=username)
    if since is not None:
        rows = rows.filter(at__gte=since)
    return rows
