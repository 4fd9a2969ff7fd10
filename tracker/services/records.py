"""Treatments, visits, imaging, nerve conduction and symptom reports."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.models import (
    EngraftmentSyndrome,
    ImagingStudy,
    NerveConductionResult,
    NerveConductionStudy,
    Patient,
    RecordStatus,
    SymptomReport,
    Treatment,
    TreatmentCategory,
    Visit,
)
from tracker.services.common import save_validated
from tracker.services.flags import flags_refresh


def _create(model, *, patient: Patient, actor, evaluate: bool, **fields):
    record = model(patient=patient, **fields)
    save_validated(record, actor=actor)
    if evaluate:
        flags_refresh(patient)
    return record


@transaction.atomic
def treatment_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> Treatment:
    return _create(Treatment, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def visit_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> Visit:
    return _create(Visit, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def imaging_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> ImagingStudy:
    return _create(ImagingStudy, patient=patient, actor=actor, evaluate=evaluate, **fields)


@transaction.atomic
def symptom_report_record(
    *, patient: Patient, actor, evaluate: bool = True, replace_same_day: bool = False, **fields
) -> SymptomReport:
    """Save a symptom report. With `replace_same_day` (the portal), a second report on the
    same day updates the first, whose prior version stays in its history."""
    existing = None
    if replace_same_day:
        existing = SymptomReport.objects.valid().filter(patient=patient, reported_on=fields["reported_on"]).first()
    if existing is None:
        return _create(SymptomReport, patient=patient, actor=actor, evaluate=evaluate, **fields)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.reviewed_by = existing.reviewed_at = None
    save_validated(existing, actor=actor)
    if evaluate:
        flags_refresh(patient)
    return existing


@transaction.atomic
def engraftment_save(
    *, treatment: Treatment, actor, expected_version: int | None = None, **fields
) -> EngraftmentSyndrome:
    if treatment.category != TreatmentCategory.ASCT:
        raise ValidationError("An engraftment syndrome record belongs to an ASCT.")
    record = EngraftmentSyndrome.objects.filter(treatment=treatment).first() or EngraftmentSyndrome(treatment=treatment)
    for name, value in fields.items():
        setattr(record, name, value)
    save_validated(record, actor=actor, expected_version=expected_version)
    return record


def _row_errors(index: int, exc: ValidationError) -> dict:
    """Prefix each field error of grid row `index` so the page can show it beside the row."""
    if hasattr(exc, "error_dict"):
        return {f"row{index}-{field}": errors for field, errors in exc.error_dict.items()}
    return {f"row{index}-__all__": exc.error_list}


@transaction.atomic
def ncs_study_record(
    *, patient: Patient, actor, rows: Iterable[Mapping], evaluate: bool = True, **study_fields
) -> NerveConductionStudy:
    """One study with all of its nerve rows, or nothing when any row is invalid."""
    study = NerveConductionStudy(patient=patient, **study_fields)
    save_validated(study, actor=actor)
    errors: dict = {}
    rows = list(rows)
    if not rows:
        raise ValidationError("Enter at least one nerve row.")
    for index, row in enumerate(rows):
        result = NerveConductionResult(study=study, **row)
        try:
            save_validated(result, actor=actor)
        except ValidationError as exc:
            errors.update(_row_errors(index, exc))
    if errors:
        raise ValidationError(errors)
    if evaluate:
        flags_refresh(patient)
    return study


@transaction.atomic
def ncs_result_record(*, study: NerveConductionStudy, actor, evaluate: bool = True, **fields) -> NerveConductionResult:
    """Add one row to an existing study."""
    if study.status != RecordStatus.FINAL:
        raise ValidationError("The study is marked entered in error.")
    result = NerveConductionResult(study=study, **fields)
    save_validated(result, actor=actor)
    if evaluate:
        flags_refresh(study.patient)
    return result
