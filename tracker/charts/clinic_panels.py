"""Clinical panels: neuropathy and function scores, nerve conduction, symptoms and weight."""

from __future__ import annotations

from datetime import date

from tracker.charts import style
from tracker.charts.base import Point, Row, Table
from tracker.charts.context import PanelContext, empty_panel

SCORES = (
    ("onls_total", "ONLS total (0–12)", lambda v: v.onls_total, {"width": 3}),
    ("onls_arm", "ONLS arm (0–5)", lambda v: v.onls_arm, {"width": 1.5}),
    ("onls_leg", "ONLS leg (0–7)", lambda v: v.onls_leg, {"width": 1.5}),
    ("incat_total", "INCAT (0–10)", lambda v: v.incat_total, {"width": 2}),
    ("mrs", "mRS (0–6)", lambda v: v.mrs, {"width": 2}),
    ("ecog", "ECOG (0–5)", lambda v: v.ecog, {"width": 2}),
)
NERVES = {"median": "Median", "ulnar": "Ulnar", "peroneal": "Peroneal", "tibial": "Tibial"}
SITES = {
    "": "distal",
    "wrist": "wrist",
    "elbow": "elbow",
    "below_elbow": "below elbow",
    "above_elbow": "above elbow",
    "ankle": "ankle",
    "fibular_head": "fibular head",
    "popliteal_fossa": "popliteal fossa",
}
SHOWN_FROM = 3
"""Symptom items that never reached this score (and carry no flag) start hidden: ten lines on
one 0-10 axis would bury the ones that matter."""
SYMPTOMS = (
    ("numbness_tingling", "Numbness/tingling"),
    ("weakness", "Weakness"),
    ("pain", "Nerve pain"),
    ("swelling", "Swelling"),
    ("breathlessness", "Breathlessness"),
    ("fatigue", "Tiredness"),
    ("skin_changes", "Skin changes"),
    ("headache_vision", "Headache/vision"),
    ("sweating", "Sweating"),
    ("diarrhoea", "Diarrhoea"),
)


def clinic_days(data) -> list[date]:
    """The days of the scores, nerve studies, symptom reports and weights these panels draw."""
    days = [
        v.visit_date
        for v in data.visits
        if v.weight_kg is not None or any(read(v) is not None for *_, read, _ in SCORES)
    ]
    days += [r.study_date for r in data.ncs if r.kind == "motor" and (r.cmap_amp_mv is not None or r.absent)]
    drawn = {code for code, _ in SYMPTOMS if any(s.items.get(code) for s in data.symptoms)}
    days += [
        s.reported_on
        for s in data.symptoms
        if s.weight_kg is not None or any(s.items.get(code) is not None for code in drawn)
    ]
    return days


def scores_panel(ctx: PanelContext) -> dict:
    visits = ctx.source.data.visits
    table, traces = Table(), []
    for tag, name, read, line in SCORES:
        scores = ((v, read(v)) for v in visits)
        points = [
            Point(v.visit_date, score, "visit", v.id, str(score), tag=tag) for v, score in scores if score is not None
        ]
        if points:
            traces.append(
                ctx.trace(name, points, unit="points", places=0, index=len(traces), table=table, column=name, line=line)
            )
    if not traces:
        return empty_panel("scores", "ONLS, INCAT, mRS and ECOG", "No ONLS, INCAT, mRS or ECOG recorded.")
    row = Row("Scores", "points", traces, height=190, yaxis={"range": [-0.5, 12.5], "dtick": 2})
    return ctx.panel(
        "scores",
        "ONLS, INCAT, mRS and ECOG",
        [row],
        table,
        note="Higher scores mean more disability (0 = no limitation).",
    )


NCS_SYMBOLS = ("circle", "hexagon", "pentagon", "x", "cross", "hourglass", "bowtie", "star-square")
"""One shape per nerve and site (and lab), so two sites of one nerve never look alike."""


def ncs_panel(ctx: PanelContext) -> dict:
    """CMAP amplitude per nerve, side and stimulation site: nerve by colour, side by dash
    (right solid, left dashed) and by a filled or open point, nerve and site by the point's
    shape, and all of it in the name. An absent response is plotted at 0 mV."""
    series: dict[tuple, list] = {}
    for row in ctx.source.data.ncs:
        if row.kind != "motor" or (row.cmap_amp_mv is None and not row.absent):
            continue
        series.setdefault((row.nerve, row.side, row.site, row.lab), []).append(row)
    if not series:
        return empty_panel("ncs", "Nerve conduction (CMAP amplitude)", "No NCS recorded.")
    labs = {key[3] for key in series}
    nerve_order = list(NERVES)
    table, traces = Table(), []
    shapes: dict[tuple, str] = {}
    for (nerve, side, site, lab), rows in sorted(
        series.items(),
        key=lambda item: (nerve_order.index(item[0][0]) if item[0][0] in nerve_order else 9, item[0][1:]),
    ):
        name = f"{NERVES.get(nerve, nerve)} {side}, {SITES.get(site, site)}"
        if len(labs) > 1:
            name += f" · {lab or 'lab not given'}"
        points = []
        for r in rows:
            if r.absent or r.cmap_amp_mv is None:
                points.append(Point(r.study_date, 0.0, "ncs", r.id, "absent", note="response absent (plotted at 0 mV)"))
            else:
                points.append(Point(r.study_date, float(r.cmap_amp_mv), "ncs", r.id, style.number(r.cmap_amp_mv)))
        colour = style.colour(nerve_order.index(nerve) if nerve in nerve_order else 5)
        line = {"color": colour, "dash": "solid" if side == "right" else "dash"}
        shape = shapes.setdefault((nerve, site, lab), NCS_SYMBOLS[len(shapes) % len(NCS_SYMBOLS)])
        symbol = shape if side == "right" else f"{shape}-open"
        traces.append(
            ctx.trace(
                name,
                points,
                unit="mV",
                places=2,
                index=len(traces),
                table=table,
                column=f"{name} (mV)",
                line=line,
                symbol=symbol,
            )
        )
    row = Row("CMAP amplitude", "mV", traces, height=180, yaxis={"rangemode": "tozero"})
    return ctx.panel(
        "ncs",
        "Nerve conduction (CMAP amplitude)",
        [row],
        table,
        note="Motor CMAP amplitude; sensory results and conduction velocities are in the record below.",
    )


def symptoms_panel(ctx: PanelContext) -> dict:
    data = ctx.source.data
    table, rows, quiet, hidden = Table(), [], [], []
    traces = []
    for code, label in SYMPTOMS:
        points = [
            Point(s.reported_on, s.items[code], "symptom", s.id, str(s.items[code]), tag=code)
            for s in data.symptoms
            if s.items.get(code) is not None
        ]
        if not points:
            continue
        if not any(p.value for p in points):
            quiet.append(label.lower())
            continue
        trace = ctx.trace(
            label, points, unit="/ 10", places=0, index=len(traces), table=table, column=f"{label} (0–10)"
        )
        if max(p.value for p in points) < SHOWN_FROM and "customdata" not in trace:
            trace["visible"] = "legendonly"
            hidden.append(label.lower())
        traces.append(trace)
    if traces:
        rows.append(
            Row("Patient-reported symptoms", "0–10", traces, height=190, yaxis={"range": [-0.5, 10.5], "dtick": 2})
        )
    weights = []
    clinic = [
        Point(v.visit_date, float(v.weight_kg), "visit", v.id, style.number(v.weight_kg, 1), tag="weight")
        for v in data.visits
        if v.weight_kg is not None
    ]
    if clinic:
        weights.append(
            ctx.trace(
                "Weight at clinic",
                clinic,
                unit="kg",
                places=1,
                index=len(traces),
                table=table,
                column="Weight at clinic (kg)",
            )
        )
    reported = [
        Point(s.reported_on, float(s.weight_kg), "symptom", s.id, style.number(s.weight_kg, 1), tag="weight")
        for s in data.symptoms
        if s.weight_kg is not None
    ]
    if reported:
        weights.append(
            ctx.trace(
                "Weight, self-reported",
                reported,
                unit="kg",
                places=1,
                index=len(traces) + 1,  # numbered after the symptoms: no series of the panel alike
                table=table,
                column="Weight, self-reported (kg)",
                symbol="circle-open",
            )
        )
    if weights:
        rows.append(Row("Weight", "kg", weights, height=140))
    if not rows:
        message = "No symptom reports or weights recorded."
        if quiet:
            message = f"Symptom reports score every item 0 ({', '.join(quiet)}); no weights recorded."
        return empty_panel("symptoms", "Symptoms and weight", message)
    note = "Symptoms on the patient's 0–10 scale (0 = none)."
    if hidden:
        note += f" Never above {SHOWN_FROM - 1}, so hidden until you click the name in the legend: {', '.join(hidden)}."
    if quiet:
        note += f" Always 0 and not drawn: {', '.join(quiet)}."
    return ctx.panel("symptoms", "Symptoms and weight", rows, table, note=note)
