"""Rule inputs from records: ONE builder per kind of point, reading named attributes.

The same builder serves a model instance (the patient page already holds the records) and a
named row of `values_list(..., named=True)` (the batch loader, which skips model instances to
stay fast for thousands of patients). Pure functions: no queries.
"""

from decimal import Decimal

from tracker.models import SYMPTOM_CODES
from tracker.rules.anchor import response_anchor
from tracker.rules.data import (
    ImagingPoint,
    LabPoint,
    MarrowPoint,
    NcsPoint,
    SymptomPoint,
    TreatmentPoint,
    VisitPoint,
)

# The attributes each builder reads: the loader asks the database for exactly these.
LAB_FIELDS = (
    *("id", "analyte", "specimen", "lab", "assay", "collected_on", "value_canonical"),
    *("comparator", "category", "detail", "unit_canonical", "ref_low", "ref_high", "confounders"),
)
TREATMENT_FIELDS = ("id", "category", "agents", "intent", "line", "start_date", "end_date", "t0_on")
VISIT_FIELDS = ("id", "visit_date", "onls_arm", "onls_leg", "incat_arm", "incat_leg", "mrs", "ecog", "weight_kg")
NCS_FIELDS = ("id", "nerve", "side", "site", "kind", "cmap_amp_mv", "cv_ms", "snap_amp_uv", "absent")
IMAGING_FIELDS = ("id", "study_date", "modality", "response_category", "new_lesion")
SYMPTOM_FIELDS = ("id", "reported_on", "weight_kg", *SYMPTOM_CODES)
MARROW_FIELDS = ("id", "biopsy_date", "plasma_cells_pct")
_UNSET = object()


def plain(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (1343.1000 -> 1343.1, 1000.0000 -> 1000) so explanations read well."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def lab_point(lab) -> LabPoint:
    return LabPoint(
        id=lab.id,
        analyte=lab.analyte,
        specimen=lab.specimen,
        lab=lab.lab,
        assay=lab.assay,
        collected_on=lab.collected_on,
        value=plain(lab.value_canonical),
        comparator=lab.comparator,
        category=lab.category,
        detail=lab.detail,
        unit=lab.unit_canonical,
        ref_low=plain(lab.ref_low),
        ref_high=plain(lab.ref_high),
        confounders=tuple(lab.confounders or ()),
    )


def treatment_point(treatment) -> TreatmentPoint:
    """The anchor is `t0_on`, annotated by the treatments' `with_t0()` (the loaders and the
    patient page ask for it); a treatment read without it gets the same rule in Python."""
    t0_on = getattr(treatment, "t0_on", _UNSET)
    if t0_on is _UNSET:
        t0_on = response_anchor(
            anchor_date=treatment.anchor_date,
            category=treatment.category,
            intent=treatment.intent,
            end_date=treatment.end_date,
        )
    return TreatmentPoint(
        id=treatment.id,
        category=treatment.category,
        agents=tuple(treatment.agents or ()),
        intent=treatment.intent,
        line=treatment.line,
        start_date=treatment.start_date,
        end_date=treatment.end_date,
        anchor_date=t0_on,
    )


def visit_point(visit) -> VisitPoint:
    return VisitPoint(
        **{name: getattr(visit, name) for name in VISIT_FIELDS if name != "weight_kg"}, weight_kg=plain(visit.weight_kg)
    )


def ncs_point(result, *, study_date, lab: str) -> NcsPoint:
    """A result of a nerve conduction study, with its study's date and lab."""
    return NcsPoint(
        id=result.id,
        study_date=study_date,
        lab=lab,
        nerve=result.nerve,
        side=result.side,
        site=result.site,
        kind=result.kind,
        cmap_amp_mv=plain(result.cmap_amp_mv),
        cv_ms=plain(result.cv_ms),
        snap_amp_uv=plain(result.snap_amp_uv),
        absent=result.absent,
    )


def imaging_point(study) -> ImagingPoint:
    return ImagingPoint(**{name: getattr(study, name) for name in IMAGING_FIELDS})


def symptom_point(report) -> SymptomPoint:
    return SymptomPoint(
        id=report.id,
        reported_on=report.reported_on,
        items={code: getattr(report, code) for code in SYMPTOM_CODES},
        weight_kg=plain(report.weight_kg),
    )


def marrow_point(biopsy) -> MarrowPoint:
    return MarrowPoint(id=biopsy.id, biopsy_date=biopsy.biopsy_date, plasma_cells_pct=plain(biopsy.plasma_cells_pct))
