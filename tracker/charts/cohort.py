"""The consultants' cohort chart: each patient's VEGF as a percentage of their own baseline,
aligned at their response anchor (x = months since T0).

Baseline and anchor are those of the rules (POEMS-DOMAIN.md section 6.2: the latest anchor,
the last value of the series on or before the start of its line of therapy and within the
look-back), so a line here tells the same story as the patient's flags. Only one series per
patient is drawn, the one with a baseline and the most values after T0: serum and plasma are
never mixed, and a percentage of a baseline from another series would mean nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from tracker.charts import style
from tracker.charts.inputs import CohortPatient
from tracker.charts.layout import base_layout
from tracker.rules.data import PatientData
from tracker.rules.params import RuleParams
from tracker.rules.series import Timeline, baseline, lab_obs, lab_series

DAYS_PER_MONTH = 30.4375
RELAPSING = {"color": "#D55E00", "dash": "solid", "width": 2.5, "symbol": "diamond", "size": 8}
OTHER = {"color": "#0072B2", "dash": "dot", "width": 1.5, "symbol": "circle", "size": 5}
GROUPS = (
    ("relapsing", RELAPSING, "Relapsing: open RED flag (solid orange line, ◆)"),
    ("other", OTHER, "No open RED flag (dotted blue line, ●)"),
)


def _line(data: PatientData, *, as_of: date, params: RuleParams) -> dict | str:
    """The patient's plotted series, or the reason there is none."""
    visible = data.up_to(as_of)
    anchor = Timeline(visible.treatments).latest()
    if anchor is None:
        return "no response anchor (T0) recorded"
    series = lab_series(visible.labs, "vegf", keep=lambda lab: lab.value is not None)
    if not series:
        return "no VEGF results"
    candidates = []
    for key, points in series.items():
        obs = lab_obs(points)
        base = baseline(obs, anchor, params.baseline_lookback_d)
        if base is not None and base.value > 0:
            after = sum(1 for o in obs if o.day > anchor.day)
            candidates.append((after, key, obs, base))
    if not candidates:
        return f"no VEGF baseline within {params.baseline_lookback_d} days before treatment started"
    _, key, obs, base = max(candidates, key=lambda c: (c[0], c[1].specimen == "serum"))
    kept = [o for o in obs if o.day >= base.day]
    return {
        "anchor": anchor.day,
        "specimen": key.specimen,
        "baseline": base,
        "points": [
            (
                round((o.day - anchor.day).days / DAYS_PER_MONTH, 2),
                round(float(o.value / base.value * 100), 1),
                o,
            )
            for o in kept
        ],
    }


def _trace(patient: CohortPatient, line: dict, look: dict, group: str) -> dict:
    points = line["points"]
    label = f"<b>{style.safe(patient.mrn)}</b> {style.safe(patient.name)}"
    hover = [
        f"{o.day.isoformat()}: {style.number(o.value, 1)} pg/mL ({line['specimen']} VEGF)<br>"
        f"baseline {style.number(line['baseline'].value, 1)} pg/mL on {line['baseline'].day.isoformat()}"
        for _, _, o in points
    ]
    trace = {
        "type": "scatter",
        "mode": "lines+markers+text" if group == "relapsing" else "lines+markers",
        "name": patient.mrn,
        "legendgroup": group,
        "showlegend": False,
        "x": [x for x, _, _ in points],
        "y": [y for _, y, _ in points],
        "hovertext": hover,
        "hovertemplate": f"{label}<br>%{{y:,.0f}} % of baseline<br>%{{x:.1f}} months since T0<br>%{{hovertext}}<extra></extra>",
        "customdata": [patient.url] * len(points),
        "line": {"color": look["color"], "dash": look["dash"], "width": look["width"]},
        "marker": {"symbol": look["symbol"], "size": look["size"], "color": look["color"]},
    }
    if group == "relapsing":
        trace["text"] = [""] * (len(points) - 1) + [patient.mrn]
        trace["textposition"] = "middle right"
        trace["textfont"] = {"size": style.ANNOTATION_PX, "color": look["color"]}
        trace["cliponaxis"] = False
    return trace


def _legend_entry(group: str, look: dict, name: str) -> dict:
    """A legend item for a whole group (one item per patient would not scale to a clinic)."""
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "legendgroup": group,
        "x": [None],
        "y": [None],
        "line": {"color": look["color"], "dash": look["dash"], "width": look["width"]},
        "marker": {"symbol": look["symbol"], "size": look["size"], "color": look["color"]},
        "hoverinfo": "skip",
    }


def cohort_chart(
    patients: Sequence[CohortPatient], data: Mapping[int, PatientData], *, as_of: date, params: RuleParams
) -> dict:
    """{"figure", "rows", "excluded"}: the chart, a table row per plotted patient (relapsing
    first) and the patients left off with the reason."""
    traces, rows, excluded = [], [], []
    for patient in patients:
        line = _line(data[patient.pk], as_of=as_of, params=params) if patient.pk in data else "no data"
        if isinstance(line, str):
            excluded.append({"mrn": patient.mrn, "name": patient.name, "url": patient.url, "reason": line})
            continue
        group = "relapsing" if patient.relapsing else "other"
        traces.append(_trace(patient, line, RELAPSING if patient.relapsing else OTHER, group))
        _, latest_y, latest = line["points"][-1]
        after = [y for x, y, _ in line["points"] if x > 0]
        rows.append(
            {
                "mrn": patient.mrn,
                "name": patient.name,
                "url": patient.url,
                "relapsing": patient.relapsing,
                "anchor": line["anchor"].isoformat(),
                "specimen": line["specimen"],
                "baseline": f"{style.number(line['baseline'].value, 1)} pg/mL on {line['baseline'].day.isoformat()}",
                "latest": f"{style.number(latest_y, 0)} % on {latest.day.isoformat()}",
                "lowest": f"{style.number(min(after), 0)} %" if after else "—",
            }
        )
    # Relapsing lines are drawn last so that they lie on top of the others.
    traces.sort(key=lambda t: t["legendgroup"] == "relapsing")
    present = {t["legendgroup"] for t in traces}
    legend = [_legend_entry(group, look, name) for group, look, name in GROUPS if group in present]
    rows.sort(key=lambda r: (not r["relapsing"], r["mrn"]))
    return {"figure": _figure(legend + traces) if traces else None, "rows": rows, "excluded": excluded}


def _figure(traces: list[dict]) -> dict:
    layout = base_layout()
    layout.update(
        height=520,
        margin={"l": 66, "r": 70, "t": 6, "b": 46},
        xaxis={
            "title": {"text": "Months since T0 (response anchor)", "font": {"size": 12}},
            "zeroline": False,
            "gridcolor": style.GRID,
            "showline": True,
            "linecolor": "#adb5bd",
            "ticks": "outside",
        },
        yaxis={
            "title": {"text": "% of own baseline VEGF", "font": {"size": 12}},
            "rangemode": "tozero",
            "zeroline": False,
            "gridcolor": style.GRID,
            "showline": True,
            "linecolor": "#adb5bd",
            "ticks": "outside",
            "ticksuffix": " %",
        },
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": 100,
                "y1": 100,
                "line": {"color": "#495057", "dash": "dot", "width": 1},
                "label": {"text": "baseline (100 %)", "textposition": "start", "font": {"size": style.ANNOTATION_PX}},
            },
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": 0,
                "x1": 0,
                "y0": 0,
                "y1": 1,
                "line": {"color": style.ANCHOR_COLOUR, "dash": "dash", "width": 1.5},
                "label": {
                    "text": "T0",
                    "textposition": "end",
                    "textangle": 0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "font": {"size": style.ANNOTATION_PX},
                },
            },
        ],
    )
    return {"data": traces, "layout": layout}
