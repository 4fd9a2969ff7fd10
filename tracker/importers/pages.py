"""What the import pages show: the preview table of a run, the column help and templates.

The preview never keeps a parsed copy of the file: a page of rows is read again from the
stored bytes, with each row's outcome taken from the run's one-letter-per-row `outcomes`.
Reading up to row N costs a pass over the first N rows (about 0.1 s per 20,000 rows).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from tracker import catalogue
from tracker.importers import KINDS
from tracker.importers.reader import CsvRows, FileRejected
from tracker.models import ImportRun, ImportStatus

PAGE_ROWS = 500
OUTCOME_WORDS = {"c": "created", "u": "unchanged", "p": "updated", "e": "error"}


@dataclass(frozen=True)
class PreviewRow:
    number: int
    outcome: str
    cells: list[str]
    messages: list[str]


def preview_page(run: ImportRun, *, page: int = 1, only_errors: bool = False) -> dict:
    """The header, one page of rows with outcome and messages, and the paging numbers."""
    outcomes = run.outcomes
    wanted = [
        number
        for number, letter in enumerate(outcomes, start=1)
        if letter != "-" and (letter == "e" or not only_errors)
    ]
    pages = max(1, -(-len(wanted) // PAGE_ROWS))
    page = min(max(1, page), pages)
    shown = wanted[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    messages = defaultdict(list)
    for row, column, message in run.errors:
        messages[row].append(f"{column}: {message}" if column else message)
    header, cells = _read_rows(run, set(shown))
    rows = [
        PreviewRow(
            number,
            OUTCOME_WORDS.get(outcomes[number - 1], "error"),
            cells.get(number, []),
            messages.get(number)
            or (["not listed: over the number of problems kept"] if outcomes[number - 1] == "e" else []),
        )
        for number in shown
    ]
    return {
        "header": header,
        "rows": rows,
        "page": page,
        "pages": pages,
        "page_numbers": range(1, pages + 1),
        "shown_from": (page - 1) * PAGE_ROWS + 1 if shown else 0,
        "shown_to": (page - 1) * PAGE_ROWS + len(shown),
        "matching": len(wanted),
        "file_problems": [
            f"row {row}, column {column}: {message}"
            if column
            else (f"row {row}: {message}" if row is not None else f"file: {message}")
            for row, column, message in run.errors
            if row is None or row == 0 or not outcomes
        ],
    }


def _read_rows(run: ImportRun, numbers: set[int]) -> tuple[list[str], dict[int, list[str]]]:
    if not numbers or run.file_bytes is None:
        return [], {}
    kind = KINDS[run.kind]
    try:
        rows = CsvRows(io.BytesIO(bytes(run.file_bytes)), required=kind.required, optional=kind.optional)
        header = list(rows.header.columns)
        found, last = {}, max(numbers)
        for number, cells, _problem in rows:
            if number in numbers:
                found[number] = [cells.get(name, "") for name in header] if cells else []
            if number >= last:
                break
    except (FileRejected, UnicodeDecodeError):
        return [], {}
    return header, found


def can_confirm(run: ImportRun) -> bool:
    return run.status == ImportStatus.PREVIEWED and run.error_count == 0 and run.file_bytes is not None


@dataclass(frozen=True)
class ColumnHelp:
    name: str
    required: bool
    text: str


def column_help(kind_name: str) -> list[ColumnHelp]:
    """Every column of a kind with what it takes, read from the models and the catalogue."""
    return [ColumnHelp(c.name, c.required, c.describe()) for c in KINDS[kind_name].columns]


def template_csv(kind_name: str) -> str:
    """The header line of a kind: required columns first, in the order of INTERFACES.md."""
    return ",".join(c.name for c in KINDS[kind_name].columns) + "\r\n"


def _limits(spec, unit: str) -> str:
    low, high = catalogue.bounds_for(spec, unit, settings.POEMS_ANALYTE_BOUNDS_OVERRIDES)
    places = spec.decimal_places + 1

    def shown(value):
        return catalogue.format_value(value, places) if value is not None else "any"

    return f"{shown(low)} to {shown(high)} {catalogue.display_unit(unit)}".strip()


def analyte_rows() -> list[dict]:
    """Each analyte and specimen with its canonical unit, accepted units and plausible range."""
    rows = []
    for analyte in catalogue.ANALYTES.values():
        for specimen, spec in analyte.specs.items():
            if spec.categorical:
                accepted, limits = ", ".join(catalogue.IFE_CATEGORY_CODES), "category, no unit"
            else:
                accepted = ", ".join(spec.units)
                units = spec.bounds_by_unit or {spec.canonical_unit: None}
                limits = " or ".join(_limits(spec, unit) for unit in units)
            rows.append(
                {
                    "code": analyte.code,
                    "label": spec.label,
                    "specimen": specimen
                    + (" (required)" if analyte.specimen_required else " (default)" if len(analyte.specs) == 1 else ""),
                    "canonical": spec.canonical_unit or "—",
                    "accepted": accepted,
                    "limits": limits,
                }
            )
    return rows
