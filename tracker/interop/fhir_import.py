"""FHIR import through the CSV import engine: same checks, all-or-nothing, idempotent.

The Bundle becomes one in-memory CSV per kind (`tracker.interop.fhir_in`); each kind runs
through `Importer` inside one outer transaction, patients first so the other kinds find them.
Any problem, or a dry run, rolls everything back. Each kind leaves an ImportRun audit row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tracker.importers import KINDS
from tracker.importers.engine import Importer
from tracker.importers.reader import CsvRows, FileRejected
from tracker.interop.fhir_in import KIND_ORDER, BundleProblem, ParsedBundle, SourcedRow, parse_bundle
from tracker.models import ImportRun, ImportSource, ImportStatus


@dataclass
class FhirImportResult:
    problems: list[BundleProblem] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_lines(self) -> list[str]:
        return [
            f"imported: {c['created']} created, {c['unchanged']} unchanged, {c['updated']} updated ({kind})"
            for kind, c in self.counts.items()
        ]


def rows_csv(kind: str, rows: list[SourcedRow]) -> tuple[bytes, tuple[str, ...], tuple[str, ...]]:
    spec = KINDS[kind]
    present = {column for row in rows for column in row.cells}
    header = [c for c in (*spec.required, *spec.optional) if c in spec.required or c in present]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.cells.get(column, "") for column in header])
    return buffer.getvalue().encode(), spec.required, spec.optional


def _problem(rows: list[SourcedRow], problem) -> BundleProblem:
    if problem.row is None or not 1 <= problem.row <= len(rows):
        return BundleProblem(None, problem.column, problem.message)
    entry, path = rows[problem.row - 1].where(problem.column)
    return BundleProblem(entry, path or problem.column, problem.message)


def _run_kind(kind: str, rows: list[SourcedRow], *, actor, patients, clinics, result: FhirImportResult):
    data, required, optional = rows_csv(kind, rows)
    importer = Importer(KINDS[kind], actor=actor, patients=patients, clinics=clinics)
    try:
        outcome = importer.run(CsvRows(io.BytesIO(data), required=required, optional=optional), dry_run=False)
    except FileRejected as exc:
        result.problems += [BundleProblem(None, p.column, p.message) for p in exc.problems]
        return None
    result.problems += [_problem(rows, problem) for problem in outcome.problems]
    result.counts[kind] = {"created": outcome.created, "unchanged": outcome.unchanged, "updated": outcome.updated}
    return outcome


def fhir_import(
    data: bytes, *, actor, dry_run: bool, file_name: str, source=ImportSource.COMMAND, patients=None, clinics=None
) -> FhirImportResult:
    """Check (dry run) or import the Bundle in `data`; nothing is saved unless every entry is valid."""
    parsed: ParsedBundle = parse_bundle(data)
    result = FhirImportResult(problems=list(parsed.problems))
    outcomes = {}
    if result.ok:
        with transaction.atomic():
            for kind in KIND_ORDER:
                if kind != "patients" and not result.ok:
                    break  # the records of patients that could not be registered cannot be checked
                if parsed.rows[kind]:
                    outcomes[kind] = _run_kind(
                        kind, parsed.rows[kind], actor=actor, patients=patients, clinics=clinics, result=result
                    )
            if result.ok and not dry_run:
                result.saved = True
            else:
                transaction.set_rollback(True)
    if result.ok and not any(parsed.rows.values()):
        result.problems.append(BundleProblem(None, "entry", "the Bundle holds no Patient, Observation or other record"))
    _audit(parsed, result, outcomes, actor=actor, dry_run=dry_run, file_name=file_name, source=source)
    return result


def _audit(parsed, result, outcomes, *, actor, dry_run, file_name, source) -> None:
    status = ImportStatus.IMPORTED if result.saved else ImportStatus.CHECKED if result.ok else ImportStatus.FAILED
    now = timezone.now()
    for kind in KIND_ORDER:
        rows = parsed.rows[kind]
        if not rows and not (kind == "patients" and not result.ok):
            continue
        counts = result.counts.get(kind, {})
        ImportRun.objects.create(
            kind=kind,
            source=source,
            actor=actor,
            file_name=f"{file_name} (FHIR)"[:255],
            dry_run=dry_run,
            status=status,
            row_count=len(rows),
            created_count=counts.get("created", 0),
            unchanged_count=counts.get("unchanged", 0),
            updated_count=counts.get("updated", 0),
            error_count=len(result.problems) if kind == "patients" or rows else 0,
            errors=[[None, p.field, str(p)] for p in result.problems[:100]],
            finished_at=now,
        )
