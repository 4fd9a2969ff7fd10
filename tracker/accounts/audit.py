"""The read audit and the account-action audit: the only code that writes their rows.

`patient_reads_record` is called by every view that shows a patient's pages, lists patients
(one row per patient listed) and by the research exports (web and command line); a patient's
portal download of their own record is in the export audit (`ExportRun`) only. It costs one
INSERT per call (a bulk insert for a list, in batches of `READ_BATCH` so an export of thousands
of patients holds one batch in memory), in the caller's own transaction.
"""

from collections.abc import Iterable
from itertools import islice

from django.db.models import QuerySet

from tracker.access import role_of
from tracker.models import Patient
from tracker.models.accounts import AccountAction, PatientRead
from tracker.roles import PATIENT

READ_BATCH = 1000


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def patient_reads_record(*, user, patients: Iterable, what: str) -> int:
    """Record that `user` saw `patients` (`what`: "patient page", "search", ...). Returns the
    number of rows written; nothing for anonymous users or patients reading their own record.
    Pass a large set as `queryset.only("pk", "mrn").iterator()`: it is read and written in batches.
    Costs no extra query for a clinical user whose role is cached (every view's access check
    caches it), one for the role otherwise, and one more for a patient's own record."""
    if not getattr(user, "is_authenticated", False):
        return 0
    own = _own_patient_pk(user)
    readings = (p for p in patients if p.pk != own)
    written = 0
    while batch := [
        PatientRead(user=user, username=user.get_username(), patient=p, mrn=p.mrn, what=what[:80])
        for p in islice(readings, READ_BATCH)
    ]:
        PatientRead.objects.bulk_create(batch)
        written += len(batch)
    return written


def _own_patient_pk(user) -> int | None:
    """The patient record of a patient account (their own reads are not recorded)."""
    if role_of(user) != PATIENT:
        return None
    return Patient.objects.filter(user=user).values_list("pk", flat=True).first()


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
