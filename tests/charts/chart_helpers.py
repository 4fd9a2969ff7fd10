"""Builders and look-ups for the chart tests: plain inputs in, figure dicts out."""

from __future__ import annotations

from tests.rules.rules_builders import d, evaluate, patient
from tracker.charts import FlagMark, TimelineInput, timeline_panels

AS_OF = "2026-06-30"


def marks_from_rules(data, as_of: str = AS_OF) -> tuple[FlagMark, ...]:
    """The flags the real rules raise on `data`, as the page would have them stored (open ones)."""
    flags = [f for f in evaluate(data, as_of).flags if f.status == "open"]
    return tuple(
        FlagMark(
            pk=i,
            rule=f.rule,
            severity=f.severity,
            status=f.status,
            raised_on=f.raised_on,
            explanation=f.explanation,
            evidence=f.evidence,
            url=f"/flags/{i}/",
        )
        for i, f in enumerate(flags, start=1)
    )


def build(*records, sex: str = "female", flags=None, as_of: str = AS_OF, labels=None, compact: bool = False) -> dict:
    """The timeline of a patient with `records`; flags from the rules unless given."""
    data = patient(*records, sex=sex)
    marks = marks_from_rules(data, as_of) if flags is None else tuple(flags)
    source = TimelineInput(
        data=data,
        as_of=d(as_of),
        sources={("lab", lab.id): f"{lab.lab}; entered by staff" for lab in data.labs},
        treatment_labels=labels or {},
        flags=marks,
    )
    return timeline_panels(source, compact=compact)


def panel(timeline: dict, key: str) -> dict:
    return next(p for p in timeline["panels"] if p["id"] == key)


def figure(timeline: dict, key: str) -> dict:
    found = panel(timeline, key)
    assert found["payload"], f"panel {key} has no figure: {found['empty']}"
    return found["payload"]["figure"]


def traces(timeline: dict, key: str) -> list[dict]:
    """The data traces of a panel (legend-only explanation entries left out)."""
    return [t for t in figure(timeline, key)["data"] if t.get("x") != [None]]


def trace(timeline: dict, key: str, name: str) -> dict:
    return next(t for t in traces(timeline, key) if t["name"] == name)


def y_axes(fig: dict) -> list[dict]:
    return [value for key, value in sorted(fig["layout"].items()) if key.startswith("yaxis")]
