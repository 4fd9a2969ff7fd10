"""Helpers every service shares: validate-and-save with the actor, and entered-in-error."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from tracker.models import ClinicalRecord, Patient, RecordStatus
from tracker.text_checks import control_character, control_message


def text_check(instance) -> None:
    """Refuse a control character in any text field, naming the field (every write path)."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            code = control_character(value, multiline=isinstance(field, models.TextField))
            if code:
                errors[field.name] = f"{str(field.verbose_name).capitalize()} {control_message(code)}."
    if errors:
        raise ValidationError(errors)


def record_prepare(instance, *, actor, exclude: list[str] | None = None, check_constraints: bool = True) -> None:
    """Everything save_validated does except the save: run the model checks, stamp the actor.

    `check_constraints=False` skips the unique and constraint checks, which cost a query each.
    Only for a caller that checks the natural key itself against rows it fetched in bulk (the
    CSV import); the database constraint still refuses a duplicate on insert.
    """
    text_check(instance)
    instance.full_clean(exclude=exclude, validate_unique=check_constraints, validate_constraints=check_constraints)
    if instance.pk is None:
        instance.created_by = actor
    instance.updated_by = actor
    instance._history_user = actor


def save_validated(instance, *, actor, exclude: list[str] | None = None) -> None:
    """Run every model check (fields, clean, constraints), stamp the actor and save.

    The actor is also handed to simple-history, so commands and imports record who changed a
    row exactly as the web pages do.
    """
    record_prepare(instance, actor=actor, exclude=exclude)
    instance.save()


def patient_of(record):
    """The patient a clinical record belongs to."""
    if isinstance(record, Patient):
        return record
    if hasattr(record, "patient"):
        return record.patient
    if hasattr(record, "treatment"):
        return record.treatment.patient
    return record.study.patient


@transaction.atomic
def record_update(*, record, actor, evaluate: bool = True, **changes):
    """Change fields of an existing record; the prior version stays in its history."""
    if getattr(record, "status", RecordStatus.FINAL) == RecordStatus.ENTERED_IN_ERROR:
        raise ValidationError("A record marked entered in error cannot be changed.")
    for name, value in changes.items():
        setattr(record, name, value)
    save_validated(record, actor=actor)
    if evaluate:
        from tracker.services.flags import flags_evaluate_for_patient

        flags_evaluate_for_patient(patient_of(record))
    return record


@transaction.atomic
def record_mark_entered_in_error(*, record: ClinicalRecord, actor, reason: str) -> None:
    """Withdraw a wrong value: it leaves charts and rules and stays in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason the record was entered in error."})
    if record.status == RecordStatus.ENTERED_IN_ERROR:
        raise ValidationError("This record is already marked entered in error.")
    children = list(record.results.filter(status=RecordStatus.FINAL)) if hasattr(record, "results") else []
    for row in [record, *children]:
        row.status = RecordStatus.ENTERED_IN_ERROR
        row.error_reason = reason
        row.updated_by = actor
        row._history_user = actor
        row.save(update_fields=["status", "error_reason", "updated_by", "updated_at"])
    from tracker.services.flags import flags_evaluate_for_patient

    patient = patient_of(record)
    if patient.status == RecordStatus.FINAL:
        flags_evaluate_for_patient(patient)
