"""Small builders for synthetic rule-engine inputs (no real patient data, ever)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from tracker.rules import (
    ImagingPoint,
    LabPoint,
    MarrowPoint,
    NcsPoint,
    PatientData,
    RuleParams,
    SymptomPoint,
    TreatmentPoint,
    VisitPoint,
    evaluate_patient,
)

_ids = itertools.count(1)

UNITS = {
    "vegf": "pg/mL",
    "platelets": "10^9/L",
    "hemoglobin": "g/L",
    "hematocrit": "L/L",
    "m_protein": "g/dL",
    "flc_kappa": "mg/L",
    "flc_lambda": "mg/L",
    "flc_ratio": "ratio",
    "ife": "",
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def lab(day, analyte, value=None, *, specimen="serum", lab_name="LabA", assay="", ref_high=None,
        ref_low=None, category="", detail="", comparator="=", confounders=()) -> LabPoint:  # fmt: skip
    return LabPoint(
        id=next(_ids),
        analyte=analyte,
        specimen=specimen,
        lab=lab_name,
        assay=assay,
        collected_on=d(day),
        value=None if value is None else Decimal(str(value)),
        comparator=comparator,
        category=category,
        detail=detail,
        unit=UNITS.get(analyte, ""),
        ref_low=None if ref_low is None else Decimal(str(ref_low)),
        ref_high=None if ref_high is None else Decimal(str(ref_high)),
        confounders=tuple(confounders),
    )


def vegf(day, value, specimen="serum", **kw) -> LabPoint:
    return lab(day, "vegf", value, specimen=specimen, **kw)


def ife(day, category, specimen="serum", detail="IgA-lambda", **kw) -> LabPoint:
    detail = detail if category == "positive" else ""
    return lab(day, "ife", None, specimen=specimen, category=category, detail=detail, **kw)


def treatment(start, end=None, *, anchor=None, category="systemic_anti_plasma_cell", agents=(),
              intent="frontline", line=1) -> TreatmentPoint:  # fmt: skip
    return TreatmentPoint(
        id=next(_ids),
        category=category,
        agents=tuple(agents),
        intent=intent,
        line=line,
        start_date=d(start),
        end_date=d(end) if end else None,
        anchor_date=d(anchor) if anchor else None,
    )


def visit(day, onls=None, *, incat=None, mrs=None, ecog=None, weight=None) -> VisitPoint:
    """`onls` and `incat` are (arm, leg) pairs."""
    onls_arm, onls_leg = onls if onls else (None, None)
    incat_arm, incat_leg = incat if incat else (None, None)
    return VisitPoint(
        id=next(_ids),
        visit_date=d(day),
        onls_arm=onls_arm,
        onls_leg=onls_leg,
        incat_arm=incat_arm,
        incat_leg=incat_leg,
        mrs=mrs,
        ecog=ecog,
        weight_kg=None if weight is None else Decimal(str(weight)),
    )


def ncs(day, *, nerve="peroneal", side="right", site="ankle", kind="motor", cmap=None, cv=None,
        snap=None, absent=False, lab_name="NeuroLab") -> NcsPoint:  # fmt: skip
    return NcsPoint(
        id=next(_ids),
        study_date=d(day),
        lab=lab_name,
        nerve=nerve,
        side=side,
        site=site,
        kind=kind,
        cmap_amp_mv=None if cmap is None else Decimal(str(cmap)),
        cv_ms=None if cv is None else Decimal(str(cv)),
        snap_amp_uv=None if snap is None else Decimal(str(snap)),
        absent=absent,
    )


def imaging(day, category="", *, modality="pet_ct", new_lesion=False) -> ImagingPoint:
    return ImagingPoint(next(_ids), d(day), modality, category, new_lesion)


def symptoms(day, weight=None, **items) -> SymptomPoint:
    return SymptomPoint(next(_ids), d(day), dict(items), None if weight is None else Decimal(str(weight)))


def marrow(day, plasma_cells_pct=None) -> MarrowPoint:
    pct = None if plasma_cells_pct is None else Decimal(str(plasma_cells_pct))
    return MarrowPoint(next(_ids), d(day), pct)


def patient(*records, sex="female") -> PatientData:
    """Sort any mix of records into a PatientData."""
    kinds = {
        LabPoint: "labs",
        TreatmentPoint: "treatments",
        VisitPoint: "visits",
        NcsPoint: "ncs",
        ImagingPoint: "imaging",
        SymptomPoint: "symptoms",
        MarrowPoint: "marrow",
    }
    grouped: dict[str, list] = {name: [] for name in kinds.values()}
    for record in records:
        grouped[kinds[type(record)]].append(record)
    return PatientData(sex=sex, **{name: tuple(items) for name, items in grouped.items()})


def evaluate(data: PatientData, as_of: str, **settings):
    return evaluate_patient(data, as_of=d(as_of), params=RuleParams.from_mapping(settings))


def summary(evaluation) -> set[tuple[str, str, str, str]]:
    """Flags as (rule, severity, raised_on, status) for table-style comparisons."""
    return {(f.rule, f.severity, f.raised_on.isoformat(), f.status) for f in evaluation.flags}


def only(evaluation, rule: str):
    """The single flag of `rule` (fails loudly when there are none or several)."""
    found = [f for f in evaluation.flags if f.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got {[f.key for f in found]}"
    return found[0]
