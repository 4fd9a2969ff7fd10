"""Time-series vocabulary of section 6.2: series, anchor T0, baseline, nadir, replicates.

Every rule works on `Obs` (one dated value with the ids of the records behind it) so the same
helpers serve lab results, clinic scores and nerve conduction rows alike.

Replicates (section 6.2 "Consecutive"): a result less than `CFG_CONFIRM_MIN_DAYS` after its
predecessor in the series is a replicate. Consecutive replicates form a cluster whose *latest*
member stands for it ("latest replicate counts"); earlier members are superseded and are never
used as a nadir, best value or confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tracker.rules.data import LabPoint, PatientData, TreatmentPoint
from tracker.rules.flags import OPEN, FlagResult, flag_key
from tracker.rules.params import RULES_VERSION, RuleParams


@dataclass(frozen=True)
class Obs:
    """One dated value in a series; `source` is the record it came from (for wording)."""

    day: date
    value: Decimal | None
    ids: tuple[int, ...]
    source: object = None


@dataclass(frozen=True)
class SeriesKey:
    """Section 6.2: analyte + specimen + lab, plus assay for VEGF only."""

    analyte: str
    specimen: str
    lab: str
    assay: str = ""

    @property
    def subject(self) -> str:
        """Readable, stable series name used inside flag keys: "vegf/serum/LabA/ELISA"."""
        parts = [self.analyte, self.specimen or "-", self.lab or "-"]
        if self.assay:
            parts.append(self.assay)
        return "/".join(parts)


def series_key(lab: LabPoint) -> SeriesKey:
    return SeriesKey(lab.analyte, lab.specimen, lab.lab, lab.assay if lab.analyte == "vegf" else "")


def lab_series(
    labs: Sequence[LabPoint], analyte: str, *, keep: Callable[[LabPoint], bool] = lambda _: True
) -> dict[SeriesKey, list[LabPoint]]:
    """Results of one analyte grouped by series, each in date order (input is date-sorted)."""
    series: dict[SeriesKey, list[LabPoint]] = {}
    for lab in labs:
        if lab.analyte == analyte and keep(lab):
            series.setdefault(series_key(lab), []).append(lab)
    return series


def lab_obs(points: Sequence[LabPoint]) -> list[Obs]:
    """Numeric lab results as observations; results without a value are skipped."""
    return [Obs(p.collected_on, p.value, (p.id,), p) for p in points if p.value is not None]


@dataclass(frozen=True)
class Anchor:
    """A response anchor T0 and the start of its line of therapy (for the baseline)."""

    day: date
    treatment: TreatmentPoint
    line_start: date


class Timeline:
    """The patient's anchors, found once and queried by date."""

    def __init__(self, treatments: Sequence[TreatmentPoint]):
        self.treatments = tuple(treatments)
        anchors = [Anchor(t.anchor_date, t, self._line_start(t)) for t in self.treatments if t.anchor_date is not None]
        self.anchors = tuple(sorted(anchors, key=lambda a: (a.day, a.line_start, a.treatment.id)))

    def _line_start(self, anchor_treatment: TreatmentPoint) -> date:
        """First treatment start of the anchor's line; the anchor's own start if it has no line."""
        if anchor_treatment.line is None:
            return anchor_treatment.start_date
        return min(t.start_date for t in self.treatments if t.line == anchor_treatment.line)

    def t0_before(self, day: date) -> Anchor | None:
        """Latest anchor strictly before `day`: a result on the anchor day is not post-T0."""
        earlier = [a for a in self.anchors if a.day < day]
        return earlier[-1] if earlier else None

    def latest(self) -> Anchor | None:
        """Latest anchor of the (already as-of-filtered) data: the one response is judged from."""
        return self.anchors[-1] if self.anchors else None

    def agent_exposure(self, agents: set[str], day: date, washout_days: int) -> TreatmentPoint | None:
        """A treatment with one of `agents` active on `day` or ended at most `washout_days` before."""
        for t in self.treatments:
            if not agents.intersection(t.agents) or t.start_date > day:
                continue
            if t.end_date is None or (day - t.end_date).days <= washout_days:
                return t
        return None


def baseline(obs: Sequence[Obs], anchor: Anchor, lookback_days: int) -> Obs | None:
    """Last value on/before the line start and no more than `lookback_days` before it."""
    earliest = anchor.line_start - timedelta(days=lookback_days)
    candidates = [o for o in obs if earliest <= o.day <= anchor.line_start]
    return candidates[-1] if candidates else None


def is_replicate(previous: date, current: date, min_days: int) -> bool:
    return (current - previous).days < min_days


def with_history(obs: Sequence[Obs], min_days: int) -> Iterator[tuple[Obs, tuple[Obs, ...]]]:
    """Each observation with the representatives of the clusters completed before it.

    The prior list never contains the observation's own cluster-mates: they are replicates the
    observation supersedes.
    """
    completed: list[Obs] = []
    last: Obs | None = None
    for o in obs:
        if last is not None and not is_replicate(last.day, o.day, min_days):
            completed.append(last)
        yield o, tuple(completed)
        last = o


def representatives(obs: Sequence[Obs], min_days: int) -> list[Obs]:
    """The latest member of each replicate cluster: the values that count."""
    reps: list[Obs] = []
    for o in obs:
        if reps and is_replicate(reps[-1].day, o.day, min_days):
            reps[-1] = o
        else:
            reps.append(o)
    return reps


def lowest(obs: Sequence[Obs], *, after: date | None = None) -> Obs | None:
    """Lowest value (earliest on ties) of observations strictly after `after`: nadir or best."""
    kept = [o for o in obs if o.value is not None and (after is None or o.day > after)]
    return min(kept, key=lambda o: (o.value, o.day)) if kept else None


@dataclass(frozen=True)
class Context:
    """What every rule needs: the as-of data, thresholds, anchors, and the flag factory."""

    data: PatientData
    as_of: date
    params: RuleParams
    timeline: Timeline
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    """Derived series reused by several rules within one evaluation (never across evaluations)."""

    @classmethod
    def build(cls, data: PatientData, as_of: date, params: RuleParams) -> Context:
        visible = data.up_to(as_of)
        return cls(visible, as_of, params, Timeline(visible.treatments))

    def flag(
        self,
        rule: str,
        *,
        severity: str,
        domain: str,
        subject: str,
        raised_on: date,
        explanation: str,
        evidence: dict,
        status: str = OPEN,
        variant: str = "",
    ) -> FlagResult:
        """A flag stamped with the rule version and the params snapshot.

        `variant` tells apart two flags of one rule raised on the same subject and day (the
        RED confirmation of R3b/R3f carries the AMBER's rule ID).
        """
        key = flag_key(rule, subject, raised_on)
        return FlagResult(
            key=f"{key}:{variant}" if variant else key,
            rule=rule,
            version=RULES_VERSION,
            severity=severity,
            domain=domain,
            raised_on=raised_on,
            status=status,
            explanation=explanation,
            evidence=evidence,
            params=self.params.as_dict(),
        )
