"""The read path of the follow-up schedule: each patient's plan, and what is due for whom.

A fixed number of queries whatever the number of patients: one for the patients (with clinic,
account and portal settings), seven for the few facts of their records the schedule reads
(`patients_schedule_data`) and one for the plan changes of the patients and their clinics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tracker.models import Patient, RecordStatus
from tracker.models.schedule import PlanItem
from tracker.rules.data import ImagingPoint, LabPoint, NcsPoint, PatientData, SymptomPoint, VisitPoint
from tracker.rules.outcomes import DEATH
from tracker.rules.schedule import ItemOverride, Schedule, ScheduledItem, overrides_merged, patient_schedule
from tracker.rules.schedule_params import ITEM_LABELS, PLAIN_LABELS
from tracker.selectors import treatment_point
from tracker.services.flags import rule_params
from tracker.services.schedule import schedule_params

DEFAULT_WITHIN_DAYS = 30
FINAL = RecordStatus.FINAL
# (series, the patient's related records, their date field): the records the schedule counts.
_RECORD_KINDS = (
    ("visits", "visits", "visit_date"),
    ("ncs", "nerve_studies", "study_date"),
    ("imaging", "imaging_studies", "study_date"),
    ("symptoms", "symptom_reports", "reported_on"),
)


def _records(related_name: str):
    """The model behind one of the patient's related record sets (reached through the relation,
    so this module does not depend on each record model by name)."""
    return Patient._meta.get_field(related_name).related_model


@dataclass(frozen=True)
class DueRow:
    patient: Patient
    entry: ScheduledItem

    @property
    def item(self) -> str:
        return self.entry.item

    @property
    def label(self) -> str:
        return ITEM_LABELS[self.entry.item]

    @property
    def record_url(self) -> str:
        return record_url(self.patient.pk, self.entry.item)


def record_url(patient_pk: int, item: str) -> str:
    """The form that records the item for the patient."""
    if item in ("fbc", "vegf"):
        return reverse("lab_panel_create", args=[patient_pk, item])
    if item in ("spep_ife", "flc"):
        return reverse("lab_panel_create", args=[patient_pk, "vegf"])
    if item in ("chemistry", "endocrine"):
        return reverse("lab_create", args=[patient_pk])
    if item == "ncs":
        return reverse("ncs_create", args=[patient_pk])
    kind = {"visit": "visit", "imaging": "imaging", "self_report": "symptoms"}[item]
    return reverse("record_create", args=[patient_pk, kind])


def _overrides(patients: list[Patient]) -> dict[int, dict[str, ItemOverride]]:
    """Clinic defaults merged with each patient's own plan. One query."""
    ids = [p.pk for p in patients]
    clinic_ids = {p.clinic_id for p in patients}
    by_clinic: dict[int, dict[str, ItemOverride]] = {}
    by_patient: dict[int, dict[str, ItemOverride]] = {}
    for row in PlanItem.objects.filter(Q(patient_id__in=ids) | Q(clinic_id__in=clinic_ids)):
        source = "patient" if row.patient_id else "clinic"
        override = ItemOverride(row.enabled, row.interval_months, row.reason, source)
        target = (
            by_patient.setdefault(row.patient_id, {}) if row.patient_id else by_clinic.setdefault(row.clinic_id, {})
        )
        target[row.item] = override
    return {p.pk: overrides_merged(by_clinic.get(p.clinic_id, {}), by_patient.get(p.pk, {})) for p in patients}


def _report_start(patient: Patient, portal=None, user=None) -> datetime.date | None:
    """Self-report is scheduled from the portal invitation, for an active portal account only."""
    user = user or patient.user
    if user is None or not user.is_active:
        return None
    portal = portal or getattr(patient, "portal", None)
    return (portal and portal.invited_on) or timezone.localdate(user.date_joined)


def _mark(analyte: str, specimen: str, day: datetime.date) -> LabPoint:
    return LabPoint(0, analyte, specimen, "", "", day, None, "=", "", "", "", None, None)


def patients_schedule_data(patients: list[Patient], *, as_of: datetime.date) -> dict[int, PatientData]:
    """What the schedule reads, for many patients, without loading their whole record: the
    treatments, the VEGF days and specimens (for the baseline specimen), and the last day of
    every other analyte and of each kind of record up to `as_of`, and a recorded death
    (`died_on`, annotated by `with_schedule_joins`). Seven queries, each returning
    a few rows per patient, whatever the length of follow-up."""
    ids = [p.pk for p in patients]
    died_on = {p.pk: p.died_on for p in patients}  # annotated by with_schedule_joins
    treatments: dict[int, list] = {pk: [] for pk in ids}
    labs: dict[int, list] = {pk: [] for pk in ids}
    last: dict[str, dict[int, datetime.date]] = {}
    for t in _records("treatments").objects.filter(patient_id__in=ids, status=FINAL).order_by("start_date", "id"):
        treatments[t.patient_id].append(treatment_point(t))
    valid_labs = _records("lab_results").objects.filter(patient_id__in=ids, status=FINAL, collected_on__lte=as_of)
    for row in valid_labs.filter(analyte="vegf").values_list("patient_id", "specimen", "collected_on"):
        labs[row[0]].append(_mark("vegf", row[1], row[2]))
    for pk, analyte, day in (
        valid_labs.exclude(analyte="vegf").values_list("patient_id", "analyte").annotate(Max("collected_on"))
    ):
        labs[pk].append(_mark(analyte, "", day))
    for kind, related_name, field in _RECORD_KINDS:
        rows = _records(related_name).objects.filter(patient_id__in=ids, status=FINAL, **{f"{field}__lte": as_of})
        last[kind] = dict(rows.values_list("patient_id").annotate(Max(field)))
    return {
        pk: PatientData(
            sex="",
            labs=tuple(labs[pk]),
            treatments=tuple(treatments[pk]),
            visits=_marks(last["visits"], pk, lambda d: VisitPoint(0, d, None, None, None, None, None, None, None)),
            ncs=_marks(last["ncs"], pk, lambda d: NcsPoint(0, d, "", "", "", "", "", None, None, None, False)),
            imaging=_marks(last["imaging"], pk, lambda d: ImagingPoint(0, d, "", "", False)),
            symptoms=_marks(last["symptoms"], pk, lambda d: SymptomPoint(0, d, {}, None)),
            died_on=died_on[pk],
        )
        for pk in ids
    }


def _marks(last: dict[int, datetime.date], pk: int, make) -> tuple:
    return (make(last[pk]),) if pk in last else ()


def schedules_for(patients: list[Patient], *, as_of: datetime.date) -> dict[int, Schedule]:
    """Each patient's plan on `as_of`. Nine queries whatever the number of patients
    (`patients` already fetched with `with_schedule_joins`)."""
    if not patients:
        return {}
    data = patients_schedule_data(patients, as_of=as_of)
    overrides = _overrides(patients)
    rules, params = rule_params(), schedule_params()
    result = {}
    for patient in patients:
        start = _report_start(patient)
        result[patient.pk] = patient_schedule(
            data[patient.pk],
            as_of=as_of,
            rules=rules,
            params=params,
            overrides=overrides[patient.pk],
            report_interval_days=patient.report_interval_days if start else None,
            report_start_on=start,
        )
    return result


def with_schedule_joins(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Valid patients with what the schedule reads of them, `died_on` (a recorded death) among it."""
    death = Q(clinical_events__event=DEATH, clinical_events__status=FINAL)
    return (
        patients.filter(status=RecordStatus.FINAL)
        .select_related("clinic", "user", "portal")
        .annotate(died_on=Min("clinical_events__onset_date", filter=death))
        .order_by("mrn")
    )


def due_rows(
    patients: QuerySet[Patient],
    *,
    as_of: datetime.date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    items: set[str] | None = None,
) -> list[DueRow]:
    """Every scheduled item overdue or due within `within_days` of `as_of`, most overdue first
    then by due day and MRN. Eight queries whatever the number of patients."""
    patients = list(with_schedule_joins(patients))
    schedules = schedules_for(patients, as_of=as_of)
    rows = []
    for patient in patients:
        for entry in schedules[patient.pk].items:
            if entry.due_within(as_of, within_days) and (not items or entry.item in items):
                rows.append(DueRow(patient, entry))
    rows.sort(key=lambda r: (r.entry.due_on, r.patient.mrn, r.entry.item))
    return rows


def schedule_for_patient(patient: Patient, data, *, as_of: datetime.date, portal=None, user=None) -> Schedule:
    """One patient's plan from records already loaded (`data`, a PatientData). One query for the
    plan changes; `portal` (the patient's portal settings, if already fetched) saves another."""
    overrides = _overrides([patient])[patient.pk]
    start = _report_start(patient, portal, user)
    return patient_schedule(
        data,
        as_of=as_of,
        rules=rule_params(),
        params=schedule_params(),
        overrides=overrides,
        report_interval_days=patient.report_interval_days if start else None,
        report_start_on=start,
    )


def portal_plan(patient: Patient, *, user, portal, today: datetime.date) -> list[dict]:
    """The patient's own next planned tests and visit, grouped by day, in plain words (for the
    portal; the self-report has its own card there). Nine queries: the records (eight) and the plan."""
    from tracker.selectors import patient_rule_data

    schedule = schedule_for_patient(patient, patient_rule_data(patient), as_of=today, portal=portal, user=user)
    by_day: dict[datetime.date, list[str]] = {}
    for entry in schedule.items:
        if entry.due_on is not None and entry.item != "self_report":
            by_day.setdefault(max(entry.due_on, today), []).append(PLAIN_LABELS[entry.item])
    return [{"day": day, "what": _plain_list(things), "is_now": day == today} for day, things in sorted(by_day.items())]


def _plain_list(things: list[str]) -> str:
    """'a, b and c'."""
    return things[0] if len(things) == 1 else ", ".join(things[:-1]) + " and " + things[-1]
