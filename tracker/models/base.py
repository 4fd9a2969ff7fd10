"""Shared pieces of every clinical model: who and when, status, history, bounded fields."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

EARLIEST_DATE = datetime.date(1900, 1, 1)


def plausible_date(value: datetime.date) -> None:
    """A clinical date is neither in the future nor before 1900: a typo like 2052 for 2025
    would otherwise sit unseen by the rules, which only look up to today."""
    if value > datetime.date.today():
        raise ValidationError(f"Date {value.isoformat()} is in the future; enter a date up to today.")
    if value < EARLIEST_DATE:
        raise ValidationError(f"Date {value.isoformat()} is before 1900-01-01.")


PLANNED_DAYS = 2 * 366


def plausible_planned_date(value: datetime.date) -> None:
    """A date that may be planned ahead (a treatment's end): from 1900 to two years after today."""
    latest = datetime.date.today() + datetime.timedelta(days=PLANNED_DAYS)
    if value > latest:
        raise ValidationError(
            f"Date {value.isoformat()} is more than two years ahead; enter a date up to {latest.isoformat()}."
        )
    if value < EARLIEST_DATE:
        raise ValidationError(f"Date {value.isoformat()} is before 1900-01-01.")


class RecordStatus(models.TextChoices):
    FINAL = "final", "Final"
    ENTERED_IN_ERROR = "entered_in_error", "Entered in error"


def bounded(label: str, low, high, unit: str) -> list:
    """Validators whose one message names the field, the allowed range and the unit."""
    unit_text = f" {unit}" if unit else ""
    message = f"{label} must be between {low} and {high}{unit_text}."
    if isinstance(low, float):
        low, high = Decimal(str(low)), Decimal(str(high))
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


def number_range_message(field, label: str = "", *, places_clause: bool = True) -> str:
    """What a number field takes, in one sentence naming the field, the range and the unit:
    the field's bounded() message, else the range its digits allow (a DecimalField without
    bounds), with the decimal places it keeps."""
    label = label or str(getattr(field, "verbose_name", "") or getattr(field, "label", "") or "The value")
    label = label[:1].upper() + label[1:]
    message = ""
    for validator in getattr(field, "validators", []):
        if isinstance(validator, MinValueValidator | MaxValueValidator) and "between" in str(validator.message):
            message = str(validator.message).rstrip(".")
            break
    places = getattr(field, "decimal_places", None)
    digits = getattr(field, "max_digits", None)
    if not message and digits is not None and places is not None:
        largest = Decimal(10) ** (digits - places) - Decimal(10) ** -places
        unit = getattr(field, "help_text", "")
        unit_text = f" {unit}" if unit and len(str(unit)) < 12 else ""
        message = f"{label} must be between {-largest:,} and {largest:,}{unit_text}"
    if not message:
        return f"{label} must be a number."
    if places is not None and places_clause:
        return f"{message}, with at most {places} decimal place{'' if places == 1 else 's'}."
    return f"{message}."


DIGIT_CODES = ("max_digits", "max_decimal_places", "max_whole_digits")


def number_messages(field, label: str = "", *, digits_only: bool = False) -> dict:
    """error_messages replacing Django's 'no more than N digits' (and kin) by the range message;
    with `digits_only`, the bounds' own messages (min_value, max_value) are left as they are."""
    messages = dict.fromkeys(DIGIT_CODES, number_range_message(field, label))
    if not digits_only:
        plain = number_range_message(field, label, places_clause=False)
        messages.update(dict.fromkeys(("min_value", "max_value"), plain))
        messages["invalid"] = f"{plain.rstrip('.')}; enter a number."
    return messages


class AuditedModel(models.Model):
    """Who created and last changed a row, and when; every version kept by simple-history."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every change; an edit form carries the one it showed."
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class ClinicalQuerySet(models.QuerySet):
    def valid(self):
        """Rows that count: everything not marked entered in error."""
        return self.filter(status=RecordStatus.FINAL)


class ClinicalRecord(AuditedModel):
    """A clinical value that is never deleted: a wrong one is marked entered in error."""

    status = models.CharField(max_length=20, choices=RecordStatus.choices, default=RecordStatus.FINAL)
    error_reason = models.TextField(blank=True)

    objects = ClinicalQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_entered_in_error(self) -> bool:
        return self.status == RecordStatus.ENTERED_IN_ERROR


FINAL_ONLY = models.Q(status=RecordStatus.FINAL)
