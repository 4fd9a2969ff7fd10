"""One research-export file per record type beyond the core series: what to read and how each
record becomes a row.

A `RecordTable` names the patient's relation to read (`Patient.marrow_biopsies`), the fields
and their order, the file's columns (`columns_record`) and a pure row mapper. The export
selectors read every table in `TABLES` with one query per chunk of patients, the research
export writes one file per table and describes it in `dictionary.csv` and `datapackage.json`,
and the FHIR export maps the same rows. A new record type is one more entry here.

With a pseudonymised mask every date moves by the patient's offset and free text (method,
result text, CTCAE term, cause, notes, lesion site) is left blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tracker.interop import columns_record as record_cols
from tracker.interop.columns import Column
from tracker.interop.pseudonym import PatientMask
from tracker.interop.research import Days, iso, number


@dataclass(frozen=True)
class RecordTable:
    name: str  # the file is NAME.csv; the rows are PatientRecords.tables[NAME]
    relation: str  # the Patient's related name of the record model
    fields: tuple[str, ...]  # read in this order; "patient_id" first
    order_by: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[list[dict], PatientMask, Days], Iterator[list]]
    description: str


def _text(mask: PatientMask, value: str) -> str:
    """Free text, kept only in an export that is not pseudonymised."""
    return "" if mask.pseudonymised else (value or "")


def _flag(value) -> str:
    """A nullable boolean as read (True, 1, False, 0 or None) as 'true', 'false' or blank."""
    return "" if value is None else ("true" if value else "false")


def marrow_rows(biopsies: list[dict], mask: PatientMask, days: Days) -> Iterator[list]:
    for row in biopsies:
        when, from_anchor = days(row["biopsy_date"])
        yield [
            mask.patient_id,
            when,
            number(row["plasma_cells_pct"]),
            row["clonality"],
            _text(mask, row["method"]),
            _text(mask, row["notes"]),
            from_anchor,
        ]


def event_rows(events: list[dict], mask: PatientMask, days: Days) -> Iterator[list]:
    for row in events:
        when, from_anchor = days(row["onset_date"])
        yield [
            mask.patient_id,
            row["event"],
            when,
            number(row["grade"]),
            iso(mask.date(row["resolved_on"])),
            _text(mask, row["ctcae_term"]),
            _flag(row["treatment_related"]),
            _text(mask, row["cause"]),
            _text(mask, row["notes"]),
            from_anchor,
        ]


def lesion_numbers(lesions: list[dict]) -> dict[str, int]:
    """Each site's number, in order of first appearance (study date, then site)."""
    numbers: dict[str, int] = {}
    for row in sorted(lesions, key=lambda row: (row["study_date"], row["site"])):
        numbers.setdefault(row["site"], len(numbers) + 1)
    return numbers


def lesion_rows(lesions: list[dict], mask: PatientMask, days: Days) -> Iterator[list]:
    numbers = lesion_numbers(lesions)
    for row in lesions:
        when, from_anchor = days(row["study_date"])
        yield [
            mask.patient_id,
            when,
            row["modality"],
            numbers[row["site"]],
            _text(mask, row["site"]),
            row["appearance"],
            number(row["size_mm"]),
            number(row["suv_max"]),
            row["lesion_status"],
            from_anchor,
        ]


TABLES = (
    RecordTable(
        name="marrow",
        relation="marrow_biopsies",
        fields=("patient_id", "biopsy_date", "plasma_cells_pct", "clonality", "method", "notes"),
        order_by=("patient_id", "biopsy_date"),
        columns=record_cols.MARROW,
        rows=marrow_rows,
        description="One row per bone marrow biopsy.",
    ),
    RecordTable(
        name="events",
        relation="clinical_events",
        fields=(
            "patient_id",
            "event",
            "onset_date",
            "grade",
            "resolved_on",
            "ctcae_term",
            "treatment_related",
            "cause",
            "notes",
        ),
        order_by=("patient_id", "onset_date", "event"),
        columns=record_cols.EVENTS,
        rows=event_rows,
        description="One row per clinical event: thrombosis, infection, engraftment syndrome, admission, "
        "adverse event (CTCAE v5), confirmed relapse or progression, death.",
    ),
    RecordTable(
        name="lesions",
        relation="imaging_lesions",
        fields=(
            "patient_id",
            "study_date",
            "modality",
            "site",
            "appearance",
            "size_mm",
            "suv_max",
            "lesion_status",
        ),
        order_by=("patient_id", "study_date", "modality", "site"),
        columns=record_cols.LESIONS,
        rows=lesion_rows,
        description="One row per lesion seen on an imaging study.",
    ),
)
BY_NAME = {table.name: table for table in TABLES}
