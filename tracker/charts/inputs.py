"""Plain inputs of the chart builders.

The view turns the selector output into these (entered-in-error records already left out), so
the builders never see a model instance or a queryset: they run no queries and can be tested
without a database. The clinical series reuse the rule engine's dataclasses, so the charts and
the rules agree on what a series, an anchor and a nadir are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.rules.data import PatientData
from tracker.rules.params import RuleParams

SEVERITY_RANK = {"info": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class FlagMark:
    """A stored open or acknowledged flag, with the page that explains it."""

    pk: int
    rule: str
    severity: str
    status: str
    raised_on: date
    explanation: str
    evidence: Mapping
    url: str

    @property
    def label(self) -> str:
        """ "RED R1c": how the flag is named in hover text and tables."""
        return f"{self.severity.upper()} {self.rule}"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, 0)


@dataclass(frozen=True)
class RecordMarker:
    """A dated record shown as a marker on its own lane of the treatment strip (a bone marrow
    biopsy, a clinical event): `lane` names the lane, `label` the text above the marker."""

    day: date
    lane: str
    label: str
    hover: str
    url: str = ""  # where a click leads (the record's row on the patient page)


@dataclass(frozen=True)
class TimelineInput:
    """One patient's valid record as plain series, plus what the hover text needs.

    `sources` names where each record came from, keyed by (kind, id) with kind one of lab,
    visit, symptom, ncs, imaging; `treatment_labels` the regimen of each treatment id.
    """

    data: PatientData
    as_of: date
    params: RuleParams = field(default_factory=RuleParams)
    sources: Mapping[tuple[str, int], str] = field(default_factory=dict)
    treatment_labels: Mapping[int, str] = field(default_factory=dict)
    flags: tuple[FlagMark, ...] = ()
    markers: tuple[RecordMarker, ...] = ()


@dataclass(frozen=True)
class CohortPatient:
    """A patient on the cohort chart: identity, where a click leads, and relapse status."""

    pk: int
    mrn: str
    name: str
    url: str
    relapsing: bool
