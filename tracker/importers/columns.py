"""CSV columns: turning cell text into typed values, and describing each column for people.

Parsing only turns text into Python values (a date, a number, a code); the clinical rules
(ranges, units, cross-field checks) stay in the models and services, which every row goes
through afterwards. Allowed values and ranges shown on the import page are read from the
same model fields, so the help cannot drift from the rules.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tracker.text_checks import ascii_number

TRUE_FALSE = {"true": True, "false": False}


class CellError(ValueError):
    """A cell that cannot be read; the message names what is allowed."""


@dataclass(frozen=True)
class Column:
    """One CSV column. `field` names the model field it fills (for parsing and help), if any.

    `parse` is one of 'text', 'date', 'int', 'decimal', 'bool', 'choice', 'list'.
    `choices` restricts a 'choice' or 'list' column; `help` adds what the field cannot say.
    `blank_cell_ok` leaves a blank cell of a required column to the builder, whose message
    knows more (the lab value: which units the analyte takes).
    """

    name: str
    parse: str = "text"
    field: models.Field | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    blank_cell_ok: bool = False

    def read(self, text: str):
        """The typed value of `text`; blank is None (or '' / [] / False for text, list, bool;
        None for a bool field that may be unknown: not recorded)."""
        if text == "":
            if self.required and not self.blank_cell_ok:
                raise CellError(f"a value is required ({self.expects()})")
            if self.parse == "bool" and self.field is not None and self.field.null:
                return None
            return {"text": "", "choice": "", "list": [], "bool": False}.get(self.parse)
        reader = _READERS[self.parse]
        return reader(self, text)

    def expects(self) -> str:
        """A short description of what the column takes, e.g. 'a date as YYYY-MM-DD'."""
        if self.parse == "date":
            return "a date as YYYY-MM-DD"
        if self.parse == "bool":
            return "true or false"
        if self.parse in ("choice", "list") and self.allowed():
            allowed = ", ".join(self.allowed())
            return f"one of {allowed}" if self.parse == "choice" else f"';'-separated, each one of {allowed}"
        if self.parse == "list":
            return "';'-separated values"
        if self.parse in ("int", "decimal"):
            return _range_text(self.field) or ("a whole number" if self.parse == "int" else "a number")
        limit = getattr(self.field, "max_length", None)
        return f"text, at most {limit} characters" if limit else "free text"

    def allowed(self) -> tuple[str, ...]:
        if self.choices:
            return self.choices
        if self.field is not None and self.field.choices:
            return tuple(str(code) for code, _ in self.field.choices if code != "")
        return ()

    def describe(self) -> str:
        """The help line shown on the import page."""
        parts = [self.help] if self.help else []
        if not (self.help and self.parse in ("text", "list")):
            expects = self.expects()
            parts.append(expects[:1].upper() + expects[1:] + ".")
        unit = getattr(self.field, "help_text", "") if self.parse in ("int", "decimal") else ""
        if unit and unit not in " ".join(parts) and len(unit) < 12:
            parts.append(f"Unit: {unit}.")
        return " ".join(parts)


def _range_text(field: models.Field | None) -> str:
    """The bounded() message of a model field, e.g. 'ONLS arm must be between 0 and 5 points.'"""
    if field is None:
        return ""
    for validator in field.validators:
        if isinstance(validator, MinValueValidator | MaxValueValidator):
            return str(validator.message).rstrip(".")
    return ""


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _read_date(column: Column, text: str) -> datetime.date:
    """Strictly YYYY-MM-DD (INTERFACES section 1): `20240102` or a week date is refused."""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _read_int(column: Column, text: str) -> int:
    try:
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError
        return int(text)
    except ValueError:
        hint = _range_text(column.field)
        how = "" if ascii_number(text) else " (write it with the digits 0-9)"
        raise CellError(f"{text!r} is not a whole number{how}" + (f"; {hint}" if hint else "")) from None


def _read_decimal(column: Column, text: str) -> Decimal:
    try:
        value = Decimal(text) if ascii_number(text) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        hint = _range_text(column.field)
        how = "use '.' for decimals" if ascii_number(text) else "write it with the digits 0-9"
        raise CellError(f"{text!r} is not a number ({how})" + (f"; {hint}" if hint else ""))
    return value


def _read_bool(column: Column, text: str) -> bool:
    try:
        return TRUE_FALSE[text.lower()]
    except KeyError:
        raise CellError(f"{text!r} is not allowed; use true or false") from None


def _match(column: Column, text: str) -> str:
    """The allowed code equal to `text`, ignoring case ('cr' -> 'CR')."""
    allowed = column.allowed()
    for code in allowed:
        if code.lower() == text.lower():
            return code
    raise CellError(f"{text!r} is not allowed; allowed: {', '.join(allowed)}")


def _read_list(column: Column, text: str) -> list[str]:
    items = [item.strip() for item in text.split(";") if item.strip()]
    return [_match(column, item) for item in items] if column.allowed() else items


_READERS = {
    "text": lambda column, text: text,
    "date": _read_date,
    "int": _read_int,
    "decimal": _read_decimal,
    "bool": _read_bool,
    "choice": _match,
    "list": _read_list,
}


def model_column(model, name: str, *, field_name: str = "", required: bool = False, help: str = "", choices=()):
    """A column filling model field `field_name` (default: same name), parsed by field type."""
    field = model._meta.get_field(field_name or name)
    if isinstance(field, models.JSONField):
        parse = "list"
    elif field.choices or choices:
        parse = "choice"
    elif isinstance(field, models.DateField):
        parse = "date"
    elif isinstance(field, models.BooleanField):
        parse = "bool"
    elif isinstance(field, models.DecimalField):
        parse = "decimal"
    elif isinstance(field, models.IntegerField):
        parse = "int"
    else:
        parse = "text"
    return Column(name, parse=parse, field=field, required=required, help=help, choices=tuple(choices))


def field_errors(exc: ValidationError, columns_by_field: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) pairs for a model or service ValidationError.

    Field names are mapped to the CSV column that fills them; an error about the row as a
    whole (or a field no column fills) gets column ''.
    """
    if not hasattr(exc, "error_dict"):
        return [("", " ".join(exc.messages))]
    pairs = []
    for field, errors in exc.error_dict.items():
        column = columns_by_field.get(field, "")
        for error in errors:
            message = " ".join(error.messages) if hasattr(error, "messages") else str(error)
            if not column and field != "__all__":
                message = f"{field.replace('_', ' ')}: {message}"
            pairs.append((column, message))
    return pairs
