"""The worklist: patients with open RED/AMBER flags first, then those overdue for follow-up.

Read from the per-patient summary rows (`WorklistEntry`) kept by the flag evaluation, so
filtering, sorting and paging are SQL on indexed columns. A page costs three queries whatever
the number of patients: the counts per severity, the page's rows with their patients, and the
page's top flags (at most `TOP_FLAGS` per patient, chosen in SQL by a window function).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from tracker import catalogue
from tracker.access import get_patient_for
from tracker.models import Flag, FlagStatus, Patient, RecordStatus, WorklistEntry

ACTIVE = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
PAGE_SIZE = 50
TOP_FLAGS = 3
SEVERITIES = ("red", "amber", "overdue")
ACKNOWLEDGEMENT = ("", "unacknowledged", "acknowledged")


@dataclass
class WorklistRow:
    patient: Patient
    status: str  # 'red', 'amber', 'overdue'
    flags: list = field(default_factory=list)  # the top TOP_FLAGS active flags
    open_flags: int = 0
    unacknowledged: int = 0
    last_vegf: str = ""
    last_vegf_on: datetime.date | None = None
    last_vegf_specimen: str = ""
    days_since_visit: int | None = None
    overdue_days: int = 0
    interval_months: int = 0
    next_patient_id: int = 0  # the row after this one (itself when last): where to land after acknowledging

    @property
    def more_flags(self) -> int:
        return self.open_flags - len(self.flags) - sum(len(getattr(f, "confirmed", [])) for f in self.flags)


@dataclass
class WorklistPage:
    rows: list[WorklistRow]
    counts: dict[str, int]  # per severity under the other filters
    total: int  # rows matching every filter
    number: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _entries(patients: QuerySet[Patient], today: datetime.date, acknowledgement: str) -> QuerySet[WorklistEntry]:
    entries = WorklistEntry.objects.filter(patient__in=patients.filter(status=RecordStatus.FINAL).values("pk"))
    entries = entries.filter(Q(top_rank__gte=1) | Q(next_due_on__lt=today))
    if acknowledgement == "unacknowledged":
        entries = entries.filter(unacknowledged__gt=0)
    elif acknowledgement == "acknowledged":
        entries = entries.filter(top_rank__gte=1, unacknowledged=0)
    return entries


_SEVERITY_FILTERS = {
    "red": lambda today: Q(top_rank=2),
    "amber": lambda today: Q(top_rank=1),
    "overdue": lambda today: Q(top_rank=0, next_due_on__lt=today),
}


def worklist_page(
    patients: QuerySet[Patient],
    *,
    today: datetime.date,
    severity: str = "",
    acknowledgement: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> WorklistPage:
    """One page of the worklist of `patients`: RED, then AMBER (newest flag first), then
    overdue (most overdue first), ties by MRN."""
    entries = _entries(patients, today, acknowledgement)
    counts = entries.aggregate(**{name: Count("pk", filter=make(today)) for name, make in _SEVERITY_FILTERS.items()})
    total = counts[severity] if severity in _SEVERITY_FILTERS else sum(counts.values())
    if severity in _SEVERITY_FILTERS:
        entries = entries.filter(_SEVERITY_FILTERS[severity](today))
    pages = max(1, -(-total // page_size))
    number = min(max(page, 1), pages)
    overdue_since = Case(
        When(next_due_on__lt=today, then=F("next_due_on")), default=Value(today), output_field=DateField()
    )
    ordered = entries.select_related("patient__clinic").order_by(
        F("top_rank").desc(), F("top_raised_on").desc(nulls_last=True), overdue_since, "patient__mrn"
    )
    start = (number - 1) * page_size
    entries = list(ordered[start : start + page_size])
    flags = _top_flags([entry.patient_id for entry in entries])
    rows = [_row(entry, flags.get(entry.patient_id, []), today) for entry in entries]
    for place, row in enumerate(rows):
        row.next_patient_id = rows[min(place + 1, len(rows) - 1)].patient.pk
    return WorklistPage(rows=rows, counts=counts, total=total, number=number, pages=pages)


def _top_flags(patient_ids: list[int]) -> dict[int, list[Flag]]:
    """The first TOP_FLAGS active AMBER/RED flags of each patient, in one query. An AMBER that a
    RED confirms (the RED's evidence `confirms` its key) is not one of them: it is listed under
    that RED as `flag.confirmed` (acknowledging the RED acknowledges it too)."""
    if not patient_ids:
        return {}
    confirming = Flag.objects.annotate(confirms=KT("evidence__confirms")).filter(
        patient_id=OuterRef("patient_id"), status__in=ACTIVE, severity_rank=2, confirms=OuterRef("key")
    )
    ranked = (
        Flag.objects.filter(patient_id__in=patient_ids, status__in=ACTIVE, severity_rank__gte=1)
        .annotate(superseded=Exists(confirming), confirms=KT("evidence__confirms"))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("patient_id"), F("superseded")],
                order_by=[F("severity_rank").desc(), F("raised_on").desc(), F("id").desc()],
            )
        )
        .filter(place__lte=TOP_FLAGS)
        .only("id", "patient_id", "key", "rule", "severity", "severity_rank", "raised_on", "status", "explanation")
        .order_by("patient_id", "superseded", "place")
    )
    flags: dict[int, list[Flag]] = {}
    confirmed: dict[tuple[int, str], Flag] = {}
    for flag in ranked:
        flag.confirmed = []
        if flag.superseded:
            confirmed[(flag.patient_id, flag.key)] = flag
        else:
            flags.setdefault(flag.patient_id, []).append(flag)
    for patient_flags in flags.values():
        for flag in patient_flags:
            amber = confirmed.get((flag.patient_id, flag.confirms or ""))
            flag.confirmed = [amber] if amber is not None else []
    return flags


def _row(entry: WorklistEntry, flags: list[Flag], today: datetime.date) -> WorklistRow:
    status = {2: "red", 1: "amber"}.get(entry.top_rank, "overdue")
    row = WorklistRow(
        patient=entry.patient,
        status=status,
        flags=flags,
        open_flags=entry.open_flags,
        unacknowledged=entry.unacknowledged,
        interval_months=entry.interval_months,
    )
    if entry.last_vegf_on:
        prefix = "" if entry.last_vegf_comparator == "=" else entry.last_vegf_comparator
        value = catalogue.format_value(entry.last_vegf_value, 1)
        row.last_vegf = f"{prefix}{value} {entry.last_vegf_unit or 'pg/mL'}"
        row.last_vegf_on = entry.last_vegf_on
        row.last_vegf_specimen = entry.last_vegf_specimen
    if entry.last_visit_on:
        row.days_since_visit = (today - entry.last_visit_on).days
    if entry.next_due_on is not None:
        row.overdue_days = max((today - entry.next_due_on).days, 0)
    return row


def flags_confirmed_together(flag: Flag) -> dict:
    """The AMBER a RED confirms (`confirms`) and the RED confirming an AMBER (`confirmed_by`),
    each None when there is none. One query."""
    key = flag.evidence.get("confirms", "")
    related = Flag.objects.filter(patient_id=flag.patient_id, status__in=ACTIVE).filter(
        Q(key=key) | Q(severity_rank=2, evidence__confirms=flag.key)
    )
    found = {"confirms": None, "confirmed_by": None}
    for other in related.exclude(pk=flag.pk):
        found["confirms" if key and other.key == key else "confirmed_by"] = other
    return found


def flag_visible_to(user, pk) -> Flag:
    """Flag `pk` with its patient and acknowledger, 404 unless `user` may see the patient.
    Two queries."""
    flag = get_object_or_404(Flag.objects.select_related("patient", "acknowledged_by"), pk=pk)
    get_patient_for(user, flag.patient_id)
    return flag
