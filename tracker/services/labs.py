"""Laboratory results: one validation path (the catalogue) for forms, imports and panels."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from tracker import catalogue
from tracker.models import LabResult, LabSource, Patient, RecordStatus
from tracker.services.common import save_validated
from tracker.services.flags import flags_refresh
from tracker.services.review import results_mark_reviewed
from tracker.text_checks import ascii_number


def _as_decimal(value, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        text = catalogue.without_thousands(str(value))
        number = Decimal(text) if ascii_number(text) else None
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({field: f"{label} must be a number, not {value!r}."})
    return number


def lab_result_build(
    *,
    patient: Patient,
    analyte: str,
    collected_on,
    value="",
    unit: str = "",
    specimen: str = "",
    category: str = "",
    detail: str = "",
    ref_low=None,
    ref_high=None,
    lab: str = "",
    assay: str = "",
    confounders: Iterable[str] = (),
    source: str = LabResult._meta.get_field("source").default,
) -> LabResult:
    """An unsaved, validated-by-catalogue LabResult; raises ValidationError naming the field.

    The reference limits are the report's own, read in the same unit as the value and stored
    canonical. When the report gives none nothing is stored: the pages show the catalogue's
    fallback for the patient's current sex (marked as such), and the rules use their settings,
    so a correction of sex or a deployment's thresholds take effect on past results too.
    """
    try:
        spec = catalogue.get_spec(analyte, specimen)
    except catalogue.CatalogueError as exc:
        raise ValidationError({exc.field: str(exc)}) from None
    unknown = [c for c in confounders if c not in catalogue.CONFOUNDER_CODES]
    if unknown:
        raise ValidationError(
            {
                "confounders": f"unknown confounder {', '.join(unknown)}; allowed: {', '.join(catalogue.CONFOUNDER_CODES)}"
            }
        )
    result = LabResult(
        patient=patient,
        analyte=analyte,
        specimen=spec.specimen,
        collected_on=collected_on,
        detail=(detail or "").strip(),
        lab=(lab or "").strip(),
        assay=(assay or "").strip(),
        confounders=list(confounders),
        source=source,
        loinc=spec.loinc,
    )
    if spec.categorical:
        text = str(value or category or "").strip().lower()
        if text not in catalogue.IFE_CATEGORY_CODES:
            raise ValidationError(
                {
                    "value": f"{spec.label} takes one of {', '.join(catalogue.IFE_CATEGORY_CODES)}, not {text or 'blank'!r}"
                }
            )
        result.category = text
        return result
    if value is None or str(value).strip() == "":
        raise ValidationError({"value": f"Enter the {spec.label} value ({spec.accepted_units_text()})."})
    try:
        if isinstance(value, Decimal):
            comparator, number = "=", value
        else:
            comparator, number = catalogue.parse_value(str(value))
        measured = catalogue.convert(
            spec, number, unit or "", comparator=comparator, bounds_overrides=settings.POEMS_ANALYTE_BOUNDS_OVERRIDES
        )
    except catalogue.CatalogueError as exc:
        raise ValidationError({exc.field: str(exc)}) from None
    result.comparator = measured.comparator
    result.value_as_entered = measured.value_as_entered
    result.unit_as_entered = measured.unit_as_entered
    result.value_canonical = measured.value_canonical
    result.unit_canonical = measured.unit_canonical
    low = _as_decimal(ref_low, "ref_low", "Reference low")
    high = _as_decimal(ref_high, "ref_high", "Reference high")
    if low is not None and high is not None and low > high:
        raise ValidationError({"ref_low": "Reference low cannot be above reference high."})
    for field, limit in (("ref_low", low), ("ref_high", high)):
        try:
            setattr(result, field, catalogue.convert_reference(spec, limit, measured.unit_as_entered))
        except catalogue.CatalogueError as exc:
            raise ValidationError({field: str(exc)}) from None
    return result


@transaction.atomic
def lab_result_record(*, patient: Patient, actor, evaluate: bool = True, **fields) -> LabResult:
    result = lab_result_build(patient=patient, **fields)
    save_validated(result, actor=actor)
    if evaluate:
        flags_refresh(patient)
    return result


@transaction.atomic
def lab_panel_record(
    *,
    patient: Patient,
    actor,
    collected_on,
    entries: Iterable[Mapping],
    lab: str = "",
    assay: str = "",
    source: str = LabSource.MANUAL,
) -> list[LabResult]:
    """Several results drawn together (a full blood count, or VEGF + paraprotein + light chains).

    All or nothing: every entry is validated, and errors come back keyed by the entry's
    analyte so the form shows each beside its row. The kappa/lambda ratio is computed when
    both light chains are given and no ratio was entered.
    """
    results: list[LabResult] = []
    errors: dict = {}
    entries = [dict(entry) for entry in entries]
    if not entries:
        raise ValidationError("Enter at least one result.")
    for entry in entries:
        key = entry.get("analyte", "")
        try:
            results.append(
                lab_result_build(
                    patient=patient, collected_on=collected_on, lab=lab, assay=assay, source=source, **entry
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{key}-{'value' if field == '__all__' else field}"] = messages
    if errors:
        raise ValidationError(errors)
    results.extend(_flc_ratio(patient, results, collected_on=collected_on, lab=lab, assay=assay, source=source))
    for result in results:
        try:
            save_validated(result, actor=actor)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{result.analyte}-{'value' if field == '__all__' else field}"] = messages
    if errors:
        raise ValidationError(errors)
    flags_refresh(patient)
    return results


def _flc_ratio(patient, results, **common) -> list[LabResult]:
    by_code = {r.analyte: r for r in results}
    kappa, lam = by_code.get("flc_kappa"), by_code.get("flc_lambda")
    if "flc_ratio" in by_code or not kappa or not lam or not lam.value_canonical:
        return []
    if kappa.specimen != "serum" or lam.specimen != "serum":
        return []  # the ratio's range is the serum one; urine light chains have none
    if kappa.comparator != "=" or lam.comparator != "=":
        return []
    ratio = (kappa.value_canonical / lam.value_canonical).quantize(Decimal("0.001"))
    try:
        return [lab_result_build(patient=patient, analyte="flc_ratio", value=ratio, **common)]
    except ValidationError:
        return []  # a ratio outside the plausible range is left for staff to enter from the report


@transaction.atomic
def lab_result_mark_reviewed(*, result: LabResult, actor) -> LabResult:
    """Record that a clinician has looked at a result (the portal then shows it even when it is
    abnormal); kept in the result's history. Marking a reviewed result again changes nothing."""
    if result.status != RecordStatus.FINAL:
        raise ValidationError("A result marked entered in error cannot be reviewed.")
    results_mark_reviewed([result], actor=actor)
    return result
