"""What every kind of import shares: a row's state, and the kind's contract with the engine.

A kind says which columns it takes, how a row becomes an unsaved model instance (through the
same builders and model checks as manual entry), what its natural key is, how to fetch the
existing records for a chunk of keys in one query, and which service updates a record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from tracker.importers.columns import CellError, Column, field_errors
from tracker.models import RecordStatus
from tracker.services.common import record_update


@dataclass
class RowState:
    """One data row on its way through the engine."""

    number: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    patient: object = None
    instance: models.Model | None = None
    key: tuple | None = None
    extra_update: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, column: str, message: str) -> None:
        self.problems.append((column, message))


def show(value) -> str:
    """A stored or parsed value as the CSV would spell it, for 'on record' messages."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)


class Kind:
    """A CSV kind. Subclasses set the class attributes and override the hooks they need.

    `compares` maps each column to the model fields it decides; only columns present in the
    file are compared or updated, so a file without a `notes` column never wipes notes.
    """

    name: str = ""
    model: type[models.Model]
    columns: tuple[Column, ...] = ()
    key_fields: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()
    date_field: str = ""
    compares: dict[str, tuple[str, ...]] = {}
    field_columns: dict[str, str] = {}
    also_creates: tuple = ()
    trusted_foreign_keys: tuple[str, ...] = ("patient",)
    needs_patient: bool = True
    fixed_values: dict = {}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)

    @property
    def columns_by_field(self) -> dict[str, str]:
        """Model field -> column, to put a model error beside the right cell."""
        mapping = {column.name: column.name for column in self.columns}
        for column, fields in self.compares.items():
            for name in fields:
                mapping.setdefault(name, column)
        for column in self.columns:
            if column.field is not None:
                mapping[column.field.name] = column.name
        return {**mapping, **self.field_columns}

    def parse(self, state: RowState, header: Iterable[str]) -> None:
        """Typed values for the row's cells; a problem per unreadable cell."""
        for column in self.columns:
            if column.name not in header:
                state.values[column.name] = column.read("")
                continue
            try:
                state.values[column.name] = column.read(state.cells.get(column.name, ""))
            except CellError as exc:
                state.fail(column.name, str(exc))

    def prepare_chunk(self, states: list[RowState], engine) -> None:
        """Work shared by the rows of one chunk (the NCS kind finds or creates studies)."""

    def build(self, state: RowState, engine) -> models.Model:
        """The unsaved instance for a row; raises ValidationError naming the field."""
        values = {}
        for column in self.columns:
            if column.field is None or column.name not in engine.header:
                continue
            values[column.field.name] = _with_default(column.field, state.values[column.name])
        if self.needs_patient:
            values["patient"] = state.patient
        return self.model(**values, **self.fixed_values)

    def key(self, instance) -> tuple:
        return tuple(getattr(instance, name) for name in self.key_fields)

    def existing(self, states: list[RowState], engine=None) -> dict[tuple, models.Model]:
        """Valid records with the natural keys of `states`: one query per chunk."""
        patient_ids = {s.instance.patient_id for s in states}
        dates = {getattr(s.instance, self.date_field) for s in states}
        found = self.model.objects.filter(
            status=RecordStatus.FINAL, patient_id__in=patient_ids, **{f"{self.date_field}__in": dates}
        )
        return {self.key(record): record for record in found}

    def refuse_new(self, instance, engine) -> tuple[str, str] | None:
        """(column, message) when a row may not create a record (a patient without a clinic)."""
        return None

    def blocked(self, record, engine) -> tuple[str, str] | None:
        """(column, message) when an existing record may not be matched at all, else None."""
        return None

    def differences(self, record, instance, header) -> list[tuple[str, str, str]]:
        """(column, on record, in file) for every compared column that differs."""
        found = []
        for column, fields in self.compares.items():
            if column not in header:
                continue
            if any(getattr(record, name) != getattr(instance, name) for name in fields):
                found.append((column, self.shown(record, column), self.shown(instance, column)))
        return found

    def shown(self, record, column: str) -> str:
        return show(getattr(record, self.compares[column][0]))

    def changes(self, instance, header) -> dict:
        """The field values an update writes: those of the columns present in the file."""
        return {
            name: getattr(instance, name)
            for column, fields in self.compares.items()
            if column in header
            for name in fields
        }

    def update(self, record, instance, *, header, actor) -> None:
        """Update through the service; the record's history keeps the prior version."""
        record_update(record=record, actor=actor, evaluate=False, **self.changes(instance, header))

    def patient_id(self, instance) -> int | None:
        return instance.patient_id

    def describe_key(self) -> str:
        return ", ".join(self.key_columns)


def _with_default(model_field: models.Field, value):
    """Blank in a column whose field cannot be blank means the field's default."""
    if value in ("", None) and not model_field.blank and model_field.has_default():
        return model_field.get_default()
    return value


def problems_from(exc: ValidationError, kind: Kind) -> list[tuple[str, str]]:
    return field_errors(exc, kind.columns_by_field)
