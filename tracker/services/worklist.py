"""Worklist summary rows: written with the flag evaluation that changes them, or rebuilt in bulk.

`worklist_entry_store` runs inside `flags_refresh`'s transaction and reads only
what that evaluation already holds (no extra reads, one upsert). `worklist_entries_rebuild`
computes the same values straight from the tables for many patients at once, with `.values()`
queries on whatever model registry it is given, so the data migration can use it with the
historical models.
"""

import datetime
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.db.models import Max

from tracker.rules.anchor import response_anchor
from tracker.rules.data import PatientData
from tracker.rules.params import RuleParams
from tracker.rules.schedule import next_due

ACTIVE = ("open", "acknowledged")


def entry_values(
    *,
    flags: Iterable[tuple[int, str, datetime.date]],
    status: str,
    last_vegf: dict | None,
    last_visit_on: datetime.date | None,
    anchor_on: datetime.date | None,
    today: datetime.date,
    params: RuleParams,
    died_on: datetime.date | None = None,
) -> dict:
    """A WorklistEntry's fields from the patient's flags as (severity rank, status, raised on)."""
    active = [(rank, raised_on, state) for rank, state, raised_on in flags if rank >= 1 and state in ACTIVE]
    top_rank = max((rank for rank, _day, _state in active), default=0)
    values = {
        "status": status,
        "top_rank": top_rank,
        "top_raised_on": max((day for rank, day, _state in active if rank == top_rank), default=None),
        "open_flags": len(active),
        "unacknowledged": sum(1 for _rank, _day, state in active if state == "open"),
        "last_visit_on": last_visit_on,
        "anchor_on": anchor_on,
        "next_due_on": None,
        "interval_months": 0,
        "evaluated_on": today,
        "last_vegf_value": None,
        "last_vegf_comparator": "",
        "last_vegf_unit": "",
        "last_vegf_specimen": "",
        "last_vegf_on": None,
    }
    if last_vegf:
        values.update({f"last_vegf_{name}": value for name, value in last_vegf.items()})
    # Follow-up is due by the rules' schedule (one definition); before any anchor the patient
    # is on treatment, where checks follow the cycles, so nothing is due by the calendar; after
    # a recorded death nothing is due at all.
    if anchor_on is not None and died_on is None:
        values["next_due_on"], values["interval_months"] = next_due(params, anchor_on, last_visit_on)
    return values


def worklist_entry_store(*, patient, flags, evaluation, data: PatientData, today, params) -> None:
    """Upsert the patient's summary row from an evaluation just stored (same transaction)."""
    from tracker.models import WorklistEntry

    vegf = max(
        (lab for lab in data.labs if lab.analyte == "vegf"), key=lambda lab: (lab.collected_on, lab.id), default=None
    )
    last_vegf = None
    if vegf is not None:
        last_vegf = {
            "value": vegf.value,
            "comparator": vegf.comparator,
            "unit": vegf.unit,
            "specimen": vegf.specimen,
            "on": vegf.collected_on,
        }
    values = entry_values(
        flags=flags,
        status=evaluation.status,
        last_vegf=last_vegf,
        last_visit_on=max((visit.visit_date for visit in data.visits), default=None),
        anchor_on=evaluation.anchor,
        today=today,
        params=params,
        died_on=data.died_on,
    )
    # One INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL): no read first.
    WorklistEntry.objects.bulk_create(
        [WorklistEntry(patient_id=patient.pk, **values)],
        update_conflicts=True,
        unique_fields=["patient"],
        update_fields=[*values, "updated_at"],
    )


def worklist_entries_rebuild(patient_ids: list[int], *, today, params: RuleParams, apps=django_apps) -> int:
    """Recompute the summary rows of `patient_ids` from the stored flags and records: six
    queries per call whatever the number of patients. Returns the number of rows written."""

    def records(related_name: str):
        # Reached through the patient's relations (works on historical models too), so this
        # module does not depend on each record model by name.
        return apps.get_model("tracker", "Patient")._meta.get_field(related_name).related_model

    final = {"status": "final"}
    flags, vegf, anchors = {}, {}, {}
    for row in (
        records("flags")
        .objects.filter(patient_id__in=patient_ids)
        .values_list("patient_id", "severity_rank", "status", "raised_on")
    ):
        flags.setdefault(row[0], []).append(row[1:])
    for row in (
        records("lab_results")
        .objects.filter(patient_id__in=patient_ids, analyte="vegf", **final)
        .order_by("patient_id", "collected_on", "id")
        .values("patient_id", "value_canonical", "comparator", "unit_canonical", "specimen", "collected_on")
    ):
        vegf[row["patient_id"]] = {
            "value": row["value_canonical"],
            "comparator": row["comparator"],
            "unit": row["unit_canonical"],
            "specimen": row["specimen"],
            "on": row["collected_on"],
        }
    visits = dict(
        records("visits")
        .objects.filter(patient_id__in=patient_ids, visit_date__lte=today, **final)
        .values("patient_id")
        .annotate(last=Max("visit_date"))
        .values_list("patient_id", "last")
    )
    for row in (
        records("treatments")
        .objects.filter(patient_id__in=patient_ids, start_date__lte=today, **final)
        .values("patient_id", "anchor_date", "category", "intent", "end_date")
    ):
        day = response_anchor(
            anchor_date=row["anchor_date"], category=row["category"], intent=row["intent"], end_date=row["end_date"]
        )
        if day is not None and day <= today and day > anchors.get(row["patient_id"], datetime.date.min):
            anchors[row["patient_id"]] = day
    entries = []
    Entry = apps.get_model("tracker", "WorklistEntry")
    for patient_id in patient_ids:
        patient_flags = flags.get(patient_id, [])
        values = entry_values(
            flags=patient_flags,
            status=_status(patient_flags),
            last_vegf=vegf.get(patient_id),
            last_visit_on=visits.get(patient_id),
            anchor_on=anchors.get(patient_id),
            today=today,
            params=params,
        )
        entries.append(Entry(patient_id=patient_id, **values))
    fields = [name for name in entries[0].__dict__ if name not in ("_state", "patient_id")] if entries else []
    Entry.objects.bulk_create(entries, update_conflicts=True, unique_fields=["patient"], update_fields=fields)
    return len(entries)


def _status(flags) -> str:
    rank = max((rank for rank, state, _day in flags if state in ACTIVE), default=0)
    return {2: "red", 1: "amber"}.get(rank, "green")
