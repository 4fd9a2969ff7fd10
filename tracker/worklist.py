"""The worklist: patients with open RED/AMBER flags first, then those overdue for follow-up.

Three queries whatever the number of patients: one for the patients with their last VEGF,
last visit, latest response anchor and highest open severity (correlated subqueries), one for
their open flags, and one for the clinics of the filter.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from tracker import catalogue
from tracker.models import Flag, FlagStatus, LabResult, Patient, RecordStatus, Treatment, Visit
from tracker.rules.params import RuleParams
from tracker.rules.schedule import next_due

ACTIVE = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
FINAL = RecordStatus.FINAL


@dataclass
class WorklistRow:
    patient: Patient
    status: str  # 'red', 'amber', 'overdue'
    flags: list = field(default_factory=list)
    last_vegf: str = ""
    last_vegf_on: datetime.date | None = None
    last_vegf_specimen: str = ""
    days_since_visit: int | None = None
    overdue_days: int = 0
    interval_months: int = 0


def _annotated(patients: QuerySet[Patient], today: datetime.date) -> QuerySet[Patient]:
    vegf = LabResult.objects.filter(patient=OuterRef("pk"), analyte="vegf", status=FINAL).order_by(
        "-collected_on", "-id"
    )
    anchors = (
        Treatment.objects.filter(patient=OuterRef("pk"), status=FINAL)
        .with_t0()
        .filter(t0_on__isnull=False, t0_on__lte=today)
        .order_by("-t0_on")
    )
    top_flag = Flag.objects.filter(patient=OuterRef("pk"), status__in=ACTIVE).order_by("-severity_rank")
    return patients.annotate(
        last_vegf_value=Subquery(vegf.values("value_canonical")[:1]),
        last_vegf_comparator=Subquery(vegf.values("comparator")[:1]),
        last_vegf_on=Subquery(vegf.values("collected_on")[:1]),
        last_vegf_specimen=Subquery(vegf.values("specimen")[:1]),
        last_visit_on=Subquery(
            Visit.objects.filter(patient=OuterRef("pk"), status=FINAL).order_by("-visit_date").values("visit_date")[:1]
        ),
        latest_anchor=Subquery(anchors.values("t0_on")[:1]),
        top_rank=Subquery(top_flag.values("severity_rank")[:1]),
    )


def worklist_rows(
    patients: QuerySet[Patient], *, today: datetime.date, params: RuleParams, severity: str = ""
) -> list[WorklistRow]:
    """Rows for the worklist of `patients`: RED, then AMBER, then overdue (most overdue first)."""
    open_flags = Flag.objects.filter(status__in=ACTIVE, severity_rank__gte=1).order_by("-severity_rank", "-raised_on")
    patients = (
        _annotated(patients.filter(status=FINAL), today)
        .select_related("clinic")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
    )
    rows = []
    for patient in patients:
        rank = patient.top_rank or 0
        status = {2: "red", 1: "amber"}.get(rank, "")
        row = WorklistRow(patient=patient, status=status, flags=patient.open_flags)
        if patient.last_vegf_on:
            prefix = "" if patient.last_vegf_comparator == "=" else patient.last_vegf_comparator
            row.last_vegf = f"{prefix}{catalogue.format_value(patient.last_vegf_value, 1)} pg/mL"
            row.last_vegf_on = patient.last_vegf_on
            row.last_vegf_specimen = patient.last_vegf_specimen
        if patient.last_visit_on:
            row.days_since_visit = (today - patient.last_visit_on).days
        # Follow-up is due by the schedule of the rules (one definition); before any anchor
        # the patient is on treatment, where checks follow the cycles, so nothing is overdue.
        if patient.latest_anchor is not None:
            due_on, row.interval_months = next_due(params, patient.latest_anchor, patient.last_visit_on)
            row.overdue_days = max((today - due_on).days, 0)
        if not status and row.overdue_days:
            row.status = "overdue"
        if row.status and (not severity or row.status == severity):
            rows.append(row)
    order = {"red": 0, "amber": 1, "overdue": 2}
    rows.sort(
        key=lambda r: (
            order[r.status],
            -(r.flags[0].raised_on.toordinal() if r.flags else 0),
            -r.overdue_days,
            r.patient.mrn,
        )
    )
    return rows
