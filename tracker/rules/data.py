"""Input snapshot of one patient, built by the Django side and read by the rules.

Plain frozen dataclasses so the engine never sees a model instance or a queryset: every value
the rules use arrives here already converted to the canonical unit of the analyte catalogue,
with entered-in-error records left out by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
"""Dates outside this window are typing errors that the forms refuse; a record holding one
(written before the bounds existed, or by hand) is left out of the rules and charts, whose
date arithmetic would otherwise run off the calendar. The record tables still show it."""


def plausible(day: date | None) -> bool:
    return day is not None and EARLIEST <= day <= LATEST


@dataclass(frozen=True)
class LabPoint:
    """One laboratory result in its canonical unit (`value` None for categorical IFE)."""

    id: int
    analyte: str
    specimen: str
    lab: str
    assay: str
    collected_on: date
    value: Decimal | None
    comparator: str
    category: str
    detail: str
    unit: str
    ref_low: Decimal | None
    ref_high: Decimal | None
    confounders: tuple[str, ...] = ()


@dataclass(frozen=True)
class TreatmentPoint:
    """One treatment; `anchor_date` is already resolved (None = not a response anchor)."""

    id: int
    category: str
    agents: tuple[str, ...]
    intent: str
    line: int | None
    start_date: date
    end_date: date | None
    anchor_date: date | None

    def active_on(self, day: date) -> bool:
        """True when the treatment had started and not yet ended on `day` (end day included)."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class VisitPoint:
    """One clinic visit with the clinician-scored scales (each may be missing)."""

    id: int
    visit_date: date
    onls_arm: int | None
    onls_leg: int | None
    incat_arm: int | None
    incat_leg: int | None
    mrs: int | None
    ecog: int | None
    weight_kg: Decimal | None

    @property
    def onls_total(self) -> int | None:
        """ONLS arm + leg; None unless both halves were scored (a half score is not comparable)."""
        if self.onls_arm is None or self.onls_leg is None:
            return None
        return self.onls_arm + self.onls_leg

    @property
    def incat_total(self) -> int | None:
        """INCAT arm + leg; None unless both halves were scored."""
        if self.incat_arm is None or self.incat_leg is None:
            return None
        return self.incat_arm + self.incat_leg


@dataclass(frozen=True)
class NcsPoint:
    """One nerve x side x stimulation site row of a nerve conduction study."""

    id: int
    study_date: date
    lab: str
    nerve: str
    side: str
    site: str
    kind: str
    cmap_amp_mv: Decimal | None
    cv_ms: Decimal | None
    snap_amp_uv: Decimal | None
    absent: bool


@dataclass(frozen=True)
class ImagingPoint:
    """One imaging study with the radiologist's response category."""

    id: int
    study_date: date
    modality: str
    response_category: str
    new_lesion: bool


@dataclass(frozen=True)
class MarrowPoint:
    """One bone marrow biopsy: plasma cells as % of nucleated marrow cells (None = not counted)."""

    id: int
    biopsy_date: date
    plasma_cells_pct: Decimal | None


@dataclass(frozen=True)
class SymptomPoint:
    """One patient self-report: 0-10 item scores (None = not answered) and optional weight."""

    id: int
    reported_on: date
    items: Mapping[str, int | None]
    weight_kg: Decimal | None


@dataclass(frozen=True)
class PatientData:
    """Everything the rules may read about one patient."""

    sex: str
    labs: tuple[LabPoint, ...] = ()
    treatments: tuple[TreatmentPoint, ...] = ()
    visits: tuple[VisitPoint, ...] = ()
    ncs: tuple[NcsPoint, ...] = ()
    imaging: tuple[ImagingPoint, ...] = ()
    symptoms: tuple[SymptomPoint, ...] = ()
    marrow: tuple[MarrowPoint, ...] = ()

    def __post_init__(self) -> None:
        """Leave out records with a date off the plausible window (see EARLIEST and LATEST)."""
        for name, field in _DATE_FIELDS.items():
            kept = tuple(r for r in getattr(self, name) if plausible(getattr(r, field)))
            object.__setattr__(self, name, kept)
        treatments = tuple(
            t
            if all(d is None or plausible(d) for d in (t.end_date, t.anchor_date))
            else replace(
                t,
                end_date=t.end_date if plausible(t.end_date) else None,
                anchor_date=t.anchor_date if plausible(t.anchor_date) else None,
            )
            for t in self.treatments
        )
        object.__setattr__(self, "treatments", treatments)

    def up_to(self, as_of: date) -> PatientData:
        """The data as it stood on `as_of`: later records dropped, records sorted by date.

        A treatment that had started by `as_of` is kept, but an anchor date after `as_of` is
        cleared (the anchor has not happened yet). An end date after `as_of` is kept: the
        treatment is simply still active on every day the rules look at.
        """
        treatments = tuple(
            t if t.anchor_date is None or t.anchor_date <= as_of else replace(t, anchor_date=None)
            for t in self.treatments
            if t.start_date <= as_of
        )
        return replace(
            self,
            labs=_sorted(self.labs, "collected_on", as_of),
            treatments=tuple(sorted(treatments, key=lambda t: (t.start_date, t.id))),
            visits=_sorted(self.visits, "visit_date", as_of),
            ncs=_sorted(self.ncs, "study_date", as_of),
            imaging=_sorted(self.imaging, "study_date", as_of),
            symptoms=_sorted(self.symptoms, "reported_on", as_of),
            marrow=_sorted(self.marrow, "biopsy_date", as_of),
        )


_DATE_FIELDS = {
    "labs": "collected_on",
    "treatments": "start_date",
    "visits": "visit_date",
    "ncs": "study_date",
    "imaging": "study_date",
    "symptoms": "reported_on",
    "marrow": "biopsy_date",
}


def _sorted(records: tuple, date_field: str, as_of: date) -> tuple:
    kept = (r for r in records if getattr(r, date_field) <= as_of)
    return tuple(sorted(kept, key=lambda r: (getattr(r, date_field), r.id)))
