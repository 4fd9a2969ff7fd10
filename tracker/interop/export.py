"""Write a research export to a folder: five CSV files streamed row by row, the dictionary,
and a Frictionless data package describing them.

Memory stays flat: patients are read in chunks (`selectors.patient_chunks`), each chunk's
rows are written as they are mapped, and only one patient's observations are held at a time
(to build its wide rows).
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from frictionless import Package, Resource, Schema, fields

from tracker.interop import columns as cols
from tracker.interop import research, selectors
from tracker.interop.pseudonym import Pseudonymiser, mask_for
from tracker.interop.record_tables import TABLES

CORE_FILES = ("patients", "observations", "treatments", "flags", "wide")
TABLE_FILES = tuple(table.name for table in TABLES)
FILES = (*CORE_FILES, "dictionary", *TABLE_FILES)
"""Every file; `dictionary.csv` describes the core files, itself, then the record tables."""
FIELD_TYPES = {
    "string": fields.StringField,
    "integer": fields.IntegerField,
    "number": fields.NumberField,
    "date": fields.DateField,
    "boolean": fields.BooleanField,
}
DESCRIPTIONS = {
    "patients": "One row per patient.",
    "observations": "Long format: one row per recorded value (labs, visit scores and examination, symptom reports, "
    "NCS, imaging, bone marrow).",
    "treatments": "One row per treatment.",
    "flags": "One row per early-warning flag.",
    "wide": "One row per patient and date, one column per item.",
    "dictionary": "One row per column of every file.",
} | {table.name: table.description for table in TABLES}


class ExportRefused(Exception):
    """The export cannot run as asked; the message says why and what to do."""


@dataclass
class ExportOutcome:
    counts: dict[str, int] = field(default_factory=dict)
    pseudonymised: bool = False


def pseudonymiser_from_settings() -> Pseudonymiser:
    """The installation's pseudonymiser. Without POEMS_PSEUDONYM_KEY a debug installation
    derives a key from its SECRET_KEY (stable for that checkout); a production one refuses."""
    key = getattr(settings, "POEMS_PSEUDONYM_KEY", "")
    if key:
        return Pseudonymiser(key.encode())
    if settings.DEBUG:
        return Pseudonymiser(f"development-only:{settings.SECRET_KEY}".encode())
    raise ImproperlyConfigured(
        "POEMS_PSEUDONYM_KEY is not set: set it to a long random secret kept with the installation "
        "(the same key gives the same pseudonyms in every export) before exporting with --pseudonymise."
    )


def check_target(directory: Path, *, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportRefused(f"{directory} exists and is not a folder; name a new or empty folder.")
    if directory.exists() and any(directory.iterdir()) and not force:
        raise ExportRefused(f"{directory} exists and is not empty; name a new or empty folder, or add --force.")


def schema_field(column: cols.Column):
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.constrain and column.min is not None:
        constraints["minimum"] = column.min
    if column.constrain and column.max is not None:
        constraints["maximum"] = column.max
    if column.constrain and column.codes:
        constraints["enum"] = list(column.codes)
    title = f"{column.label} ({column.unit})" if column.unit else column.label
    description = column.description + (f" Unit: {column.unit}." if column.unit else "")
    return FIELD_TYPES[column.type](
        name=column.name, title=title, description=description.strip(), constraints=constraints
    )


def write_package(directory: Path, layouts: dict[str, tuple[cols.Column, ...]], *, pseudonymised: bool) -> None:
    resources = [
        Resource(
            path=f"{name}.csv",
            name=name,
            description=DESCRIPTIONS[name],
            schema=Schema(fields=[schema_field(column) for column in layouts[name]]),
            format="csv",
            encoding="utf-8",
            mediatype="text/csv",
            profile="tabular-data-resource",
        )
        for name in FILES
    ]
    package = Package(
        name="poems-tracker-research-export",
        title="POEMS Tracker research export" + (" (pseudonymised)" if pseudonymised else ""),
        resources=resources,
        basepath=str(directory),
    )
    package.to_json(str(directory / "datapackage.json"))


def research_export_write(
    directory: Path,
    *,
    patients: QuerySet,
    pseudonymiser: Pseudonymiser | None = None,
    clinic_code: str = "",
    force: bool = False,
) -> ExportOutcome:
    """Write the export of `patients` (already narrowed to what the user may see) to `directory`."""
    check_target(directory, force=force)
    directory.mkdir(parents=True, exist_ok=True)
    patients = selectors.export_patients(patients, clinic_code=clinic_code)
    items = selectors.wide_items(patients)
    wide_columns = [item.column() for item in items]
    layouts = {
        "patients": cols.PATIENTS,
        "observations": cols.OBSERVATIONS,
        "treatments": cols.TREATMENTS,
        "flags": cols.FLAGS,
        "wide": (*cols.WIDE_KEYS, *wide_columns),
        "dictionary": cols.DICTIONARY,
    } | {table.name: table.columns for table in TABLES}
    outcome = ExportOutcome(counts=dict.fromkeys(FILES, 0), pseudonymised=pseudonymiser is not None)
    wide_names = [column.name for column in wide_columns]
    with ExitStack() as stack:
        writers = {}
        for name in (*CORE_FILES, *TABLE_FILES):
            handle = stack.enter_context(open(directory / f"{name}.csv", "w", encoding="utf-8", newline=""))
            writers[name] = csv.writer(handle, lineterminator="\n")
            writers[name].writerow([column.name for column in layouts[name]])
        for chunk in selectors.patient_chunks(patients):
            records = selectors.records_for([patient["id"] for patient in chunk])
            for patient in chunk:
                mask = mask_for(patient["mrn"], pseudonymiser)
                mine = records.get(patient["id"]) or selectors.PatientRecords()
                days = research.patient_days(mine, mask)
                observations = list(research.observation_rows(mine, mask, days))
                written = {
                    "patients": [research.patient_row(patient, mask)],
                    "observations": observations,
                    "treatments": list(research.treatment_rows(mine.treatments, mask)),
                    "flags": list(research.flag_rows(mine.flags, mask)),
                    "wide": list(research.wide_rows(observations, wide_names, mask)),
                } | {table.name: list(table.rows(mine.tables.get(table.name, []), mask, days)) for table in TABLES}
                for name, rows in written.items():
                    writers[name].writerows(rows)
                    outcome.counts[name] += len(rows)
    with open(directory / "dictionary.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[column.name for column in cols.DICTIONARY], lineterminator="\n")
        writer.writeheader()
        for name in FILES:
            for column in layouts[name]:
                writer.writerow(column.dictionary_row(f"{name}.csv"))
                outcome.counts["dictionary"] += 1
    write_package(directory, layouts, pseudonymised=outcome.pseudonymised)
    return outcome


def research_export_zip(**kwargs) -> tuple[bytes, ExportOutcome]:
    """The same export as zip bytes (for the web download); written through a scratch folder
    that is removed at once, so nothing stays on the app server's disk."""
    with tempfile.TemporaryDirectory(prefix="poems-export-") as scratch:
        folder = Path(scratch) / "export"
        outcome = research_export_write(folder, **kwargs)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=path.name)
    return buffer.getvalue(), outcome
