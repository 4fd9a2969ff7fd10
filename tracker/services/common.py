"""Helpers every service shares: validate-and-save with the actor, and entered-in-error."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

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
    if not instance._state.adding and hasattr(instance, "version"):
        instance.version = (instance.version or 0) + 1
    if instance.pk is None:
        instance.created_by = actor
    instance.updated_by = actor
    instance._history_user = actor


def save_validated(instance, *, actor, exclude: list[str] | None = None, expected_version: int | None = None) -> None:
    """Run every model check (fields, clean, constraints), stamp the actor and save.

    The actor is also handed to simple-history, so commands and imports record who changed a
    row exactly as the web pages do. With `expected_version` (the version an edit form showed)
    the stored row is locked and a change made since is refused (no lost update). A natural
    key taken at the same moment by another request is refused as a message, never a 500.
    """
    version_check(instance, expected_version)
    record_prepare(instance, actor=actor, exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            "This record clashes with one saved at the same moment (the same patient, date and kind); "
            "nothing was saved. Reload the page to see it."
        ) from exc


SKIP_IN_COMPARISON = {"version", "created_at", "created_by", "updated_at", "updated_by", "status", "error_reason"}


def version_check(instance, expected_version: int | None) -> None:
    """Refuse an edit made from a page showing an older version, naming every field whose
    stored value differs from the submitted one. Locks the stored row until the transaction
    ends, so two simultaneous saves cannot both pass the check."""
    if expected_version is None or instance.pk is None:
        return
    stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if stored.version == expected_version:
        instance.version = stored.version
        return
    differences = []
    for field in instance._meta.concrete_fields:
        if field.name in SKIP_IN_COMPARISON or field.primary_key or not field.editable:
            continue
        saved, yours = field.value_from_object(stored), field.value_from_object(instance)
        if saved != yours:
            differences.append(f"{field.verbose_name}: saved {_shown(saved)}, yours {_shown(yours)}")
    who = stored.updated_by.get_username() if stored.updated_by else "someone"
    detail = "; ".join(differences) if differences else "no field differs from yours"
    raise ValidationError(
        f"{who} saved this record after you opened it (version {stored.version}; your page showed version "
        f"{expected_version}), so nothing was saved. {detail[:1].upper()}{detail[1:]}. "
        "Check the values and save again to keep yours.",
        code="stale",
    )


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "blank"
    return repr(value) if isinstance(value, str) else str(value)


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
def record_update(*, record, actor, evaluate: bool = True, expected_version: int | None = None, **changes):
    """Change fields of an existing record; the prior version stays in its history. With
    `expected_version`, a change saved by someone else since is refused (version_check)."""
    if getattr(record, "status", RecordStatus.FINAL) == RecordStatus.ENTERED_IN_ERROR:
        raise ValidationError("A record marked entered in error cannot be changed.")
    covered = getattr(record, "REVIEW_COVERS", ())
    if any(name in covered and getattr(record, name) != value for name, value in changes.items()):
        changes = {**changes, "reviewed_by": None, "reviewed_at": None}  # a new value needs a new review
    for name, value in changes.items():
        setattr(record, name, value)
    save_validated(record, actor=actor, expected_version=expected_version)
    if evaluate:
        from tracker.services.flags import flags_refresh

        flags_refresh(patient_of(record))
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
        row.version += 1
        row.save(update_fields=["status", "error_reason", "updated_by", "updated_at", "version"])
    from tracker.services.flags import flags_refresh

    patient = patient_of(record)
    if patient.status == RecordStatus.FINAL:
        flags_refresh(patient)
