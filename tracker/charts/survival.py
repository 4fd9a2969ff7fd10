"""Kaplan-Meier curves of progression-free and overall survival for the clinic, with the
numbers at risk, estimated by `lifelines` (no hand-written estimator).

Time starts at each patient's first response anchor (T0); progression-free survival ends at
the first clinician-confirmed relapse, progression or death after it, overall survival at
death; patients without the event are censored at the day of the chart.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.charts import style
from tracker.charts.layout import base_layout
from tracker.rules.outcomes import Outcome

DAYS_PER_MONTH = 30.4375
AT_RISK_STEP_MONTHS = 12


def _months(days: int) -> float:
    return round(days / DAYS_PER_MONTH, 2)


def at_risk(durations: Sequence[float], times: Sequence[float]) -> list[int]:
    """Patients still followed and event-free at each time (duration at least the time)."""
    return [sum(1 for d in durations if d >= t) for t in times]


def km_curve(durations: Sequence[float], events: Sequence[bool], label: str) -> tuple[list[float], list[float]]:
    """(times in months, survival probability) of the Kaplan-Meier estimate."""
    from lifelines import KaplanMeierFitter  # heavy (pandas, scipy): loaded when a curve is drawn

    fitter = KaplanMeierFitter(label=label)
    fitter.fit(list(durations), event_observed=list(events))
    curve = fitter.survival_function_[label]
    return [float(t) for t in curve.index], [round(float(v), 4) for v in curve.values]


def survival_chart(outcomes: Sequence[Outcome]) -> dict:
    """{"figure", "at_risk", "n", "pfs_events", "os_events"}; figure None without patients."""
    if not outcomes:
        return {"figure": None, "at_risk": None, "n": 0, "pfs_events": 0, "os_events": 0}
    pfs = [_months(o.pfs_days) for o in outcomes]
    os_ = [_months(o.os_days) for o in outcomes]
    longest = max(max(pfs), max(os_))
    times = [float(t) for t in range(0, int(longest) + 1, AT_RISK_STEP_MONTHS)]
    traces = []
    # Distinct colour and dash, so overlapping curves (no deaths yet) both stay visible.
    for index, (name, durations, events, dash) in enumerate(
        (
            ("Progression-free survival", pfs, [o.pfs_event for o in outcomes], "solid"),
            ("Overall survival", os_, [o.os_event for o in outcomes], "dash"),
        )
    ):
        x, y = km_curve(durations, events, name)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "x": x,
                "y": y,
                "line": {"shape": "hv", "color": style.colour(index), "width": 3 - index, "dash": dash},
                "hovertemplate": f"<b>{name}</b><br>%{{x:.1f}} months: %{{y:.0%}}<extra></extra>",
            }
        )
    layout = base_layout(compact=False)
    layout.update(
        height=360,
        xaxis={"title": {"text": "Months since first response anchor (T0)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "Proportion event-free"}, "range": [0, 1.05], "tickformat": ".0%"},
        showlegend=True,
    )
    return {
        "figure": {"data": traces, "layout": layout},
        "at_risk": {
            "times": [int(t) for t in times],
            "pfs": at_risk(pfs, times),
            "os": at_risk(os_, times),
        },
        "n": len(outcomes),
        "pfs_events": sum(o.pfs_event for o in outcomes),
        "os_events": sum(o.os_event for o in outcomes),
    }
