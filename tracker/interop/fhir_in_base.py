"""The shapes shared by the FHIR import mappers: where a cell came from, problems, helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tracker.interop import fhir_codes as codes
from tracker.interop.research import number

KIND_ORDER = ("patients", "treatments", "labs", "visits", "symptoms", "ncs", "imaging", "marrow", "events", "lesions")
"""The order kinds are imported in: patients first, a lesion after its imaging study."""


@dataclass(frozen=True)
class EntryRef:
    index: int
    type: str
    id: str

    def __str__(self) -> str:
        return f"entry {self.index} ({self.type}/{self.id or 'no id'})"


@dataclass(frozen=True)
class BundleProblem:
    entry: EntryRef | None
    field: str
    message: str

    def __str__(self) -> str:
        where = str(self.entry) if self.entry else "file"
        return f"{where}, field {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class SourcedRow:
    """One CSV row, with where each of its cells came from in the Bundle."""

    entry: EntryRef
    cells: dict[str, str] = field(default_factory=dict)
    fields: dict[str, tuple[EntryRef, str]] = field(default_factory=dict)

    def put(self, column: str, value, entry: EntryRef, path: str) -> None:
        self.cells[column] = "" if value is None else str(value)
        self.fields[column] = (entry, path)

    def where(self, column: str) -> tuple[EntryRef, str]:
        return self.fields.get(column, (self.entry, ""))


@dataclass
class ParsedBundle:
    rows: dict[str, list[SourcedRow]] = field(default_factory=lambda: {kind: [] for kind in KIND_ORDER})
    problems: list[BundleProblem] = field(default_factory=list)
    _grouped: dict = field(default_factory=dict)

    def grouped(self, kind: str, key: tuple, entry: EntryRef) -> SourcedRow:
        """The row of `kind` for `key`, shared by the Observations that make up one visit or study."""
        row = self._grouped.get((kind, key))
        if row is None:
            row = self._grouped[(kind, key)] = SourcedRow(entry)
            self.rows[kind].append(row)
        return row


def day(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return value.isoformat() if value else ""


def extension_values(resource, name: str) -> list:
    url = f"{codes.EXTENSION_BASE}/{name}"
    found = []
    for extension in resource.extension or []:
        if extension.url == url:
            for attribute in (
                "valueCode",
                "valueDate",
                "valueString",
                "valuePositiveInt",
                "valueQuantity",
                "valueBoolean",
                "valueInteger",
            ):
                value = getattr(extension, attribute, None)
                if value is not None:
                    found.append(value)
    return found


def first_extension(resource, name: str):
    values = extension_values(resource, name)
    return values[0] if values else None


def quantity_cells(
    parsed, row: SourcedRow, quantity, ref: EntryRef, path: str, column: str, *, unit_column: str = "", expect=()
) -> None:
    """The value (with its comparator) into `column`; the UCUM unit into `unit_column`, or
    checked against `expect` (the catalogue spellings allowed) when the column has a fixed unit."""
    if quantity.system and quantity.system != codes.UCUM_SYSTEM:
        message = f"units must be UCUM (system {codes.UCUM_SYSTEM}), not {quantity.system!r}"
        parsed.problems.append(BundleProblem(ref, f"{path}.system", message))
        return
    unit = codes.FROM_UCUM.get(quantity.code or "")
    if expect and unit not in expect:
        allowed = ", ".join(codes.UCUM[u] for u in expect)
        message = f"unknown or wrong UCUM unit {quantity.code!r} for {column}; allowed: {allowed}"
        parsed.problems.append(BundleProblem(ref, f"{path}.code", message))
        return
    comparator = quantity.comparator if quantity.comparator in ("<", ">") else ""
    row.put(column, f"{comparator}{number(quantity.value)}", ref, f"{path}.value")
    if unit_column:
        row.put(unit_column, unit, ref, f"{path}.code")
