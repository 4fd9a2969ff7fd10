"""Pure rules engine for POEMS follow-up (POEMS-DOMAIN.md sections 6-7).

Nothing here imports Django or touches a database or a clock: the caller builds a
`PatientData` snapshot, picks `as_of` and `RuleParams`, and calls `evaluate_patient`.
The same inputs always give the same `Evaluation`, so the database layer can upsert flags
by their stable `key` and re-evaluating changes nothing.
"""

from tracker.rules.data import (
    ImagingPoint,
    LabPoint,
    MarrowPoint,
    NcsPoint,
    PatientData,
    SymptomPoint,
    TreatmentPoint,
    VisitPoint,
)
from tracker.rules.engraftment import FEATURES, spitzer_definite
from tracker.rules.flags import FlagResult
from tracker.rules.params import RULES_VERSION, RuleParams
from tracker.rules.registry import Evaluation, evaluate_patient
from tracker.rules.schedule import DueItem

__all__ = [
    "FEATURES",
    "RULES_VERSION",
    "DueItem",
    "Evaluation",
    "FlagResult",
    "ImagingPoint",
    "LabPoint",
    "MarrowPoint",
    "NcsPoint",
    "PatientData",
    "RuleParams",
    "SymptomPoint",
    "TreatmentPoint",
    "VisitPoint",
    "evaluate_patient",
    "spitzer_definite",
]
