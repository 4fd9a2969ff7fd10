"""Laboratory panels: VEGF, blood counts, paraprotein and light chains.

Every trace is one series in the sense of POEMS-DOMAIN.md section 6.2 (analyte + specimen +
lab, and assay for VEGF): values from different labs or specimens are never joined by a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker import catalogue
from tracker.charts import style
from tracker.charts.base import Point, Row, Table, band_entry, band_shapes, legend_entry
from tracker.charts.context import PanelContext, empty_panel
from tracker.charts.layout import log_ticks
from tracker.rules.data import LabPoint
from tracker.rules.series import lab_obs, lab_series, lowest, representatives

VEGF_SPECIMENS = (("serum", "Serum VEGF"), ("plasma", "Plasma VEGF"))
IFE_STYLE = {
    "positive": ("IFE positive (+)", "cross", "#9c2a00"),
    "negative": ("IFE negative (○)", "circle-open", "#0b5394"),
    "equivocal": ("IFE equivocal (✕)", "x-thin-open", "#6c757d"),
    "not_done": ("IFE not done", "line-ew-open", "#6c757d"),
}
VEGF_NOTE = (
    "Serum and plasma VEGF are different measurements (serum includes VEGF released by platelets), "
    "so each has its own axis and is never joined to the other. The axes are logarithmic: the rules "
    "judge VEGF by relative change, and on a log axis a 50 % rise looks the same at 600 as at 6,000 pg/mL."
)


CHARTED_SPECIMENS = {
    "vegf": {specimen for specimen, _ in VEGF_SPECIMENS},
    "platelets": None,  # any specimen
    "hemoglobin": None,
    "m_protein": {"serum", "urine_24h"},
    "flc_kappa": {"serum"},
    "flc_lambda": {"serum"},
}


def lab_days(data) -> list[date]:
    """The days of the results these panels draw (the shared time axis spans only those)."""
    days = []
    for lab in data.labs:
        if lab.analyte == "ife":
            drawn = bool(lab.category)
        else:
            specimens = CHARTED_SPECIMENS.get(lab.analyte, ())
            drawn = lab.value is not None and (specimens is None or lab.specimen in specimens)
        if drawn:
            days.append(lab.collected_on)
    return days


def lab_point(lab: LabPoint, places: int) -> Point:
    number = style.number(lab.value, places)
    prefix = "" if lab.comparator == "=" else lab.comparator
    notes = []
    if prefix:
        notes.append(f"reported as {prefix}{number}, plotted at {number}")
    if lab.confounders:
        notes.append("confounders: " + ", ".join(c.replace("_", " ") for c in lab.confounders))
    return Point(lab.collected_on, float(lab.value), "lab", lab.id, f"{prefix}{number}", note="; ".join(notes))


def reference_segments(
    labs: Sequence[LabPoint], spec: catalogue.AnalyteSpec, sex: str
) -> list[tuple[date, float | None, float | None]]:
    """(first day, low, high) for each stretch of results printed with the same range; a result
    without one is judged against the catalogue's fallback, as the rules do."""
    fallback = spec.default_reference(sex)
    segments: list[tuple[date, float | None, float | None]] = []
    for lab in labs:
        low, high = lab.ref_low, lab.ref_high
        if low is None and high is None and fallback is not None:
            low, high = fallback.low, fallback.high
        current = (float(low) if low is not None else None, float(high) if high is not None else None)
        if not segments or segments[-1][1:] != current:
            segments.append((lab.collected_on, *current))
    return segments


def analyte_traces(
    ctx: PanelContext,
    labs: Sequence[LabPoint],
    analyte: str,
    label: str,
    *,
    unit: str,
    places: int,
    table: Table,
    first: int = 0,
) -> list[dict]:
    """One trace per series of `analyte` in `labs`; named by lab only when there are several."""
    series = lab_series(labs, analyte, keep=lambda lab: lab.value is not None)
    traces = []
    for i, (key, points) in enumerate(series.items()):
        name = label
        if len(series) > 1:
            name = f"{label} · {key.lab or 'lab not given'}{' ' + key.assay if key.assay else ''}"
        pts = [lab_point(lab, places) for lab in points]
        traces.append(
            ctx.trace(name, pts, unit=unit, places=places, index=first + i, table=table, column=f"{name} ({unit})")
        )
    return traces


def _labs(ctx: PanelContext, analyte: str, specimen: str = "") -> list[LabPoint]:
    return [
        lab
        for lab in ctx.source.data.labs
        if lab.analyte == analyte and (not specimen or lab.specimen == specimen) and lab.value is not None
    ]


def nadir_trace(ctx: PanelContext, name: str, labs: Sequence[LabPoint], *, index: int, legend: bool) -> dict | None:
    """The lowest value after each anchor T0 (before the next), as the rules define the nadir:
    latest replicate counts; results taken on bevacizumab (R14) are left out."""
    usable = [lab for lab in labs if ctx.timeline.agent_exposure({"bevacizumab"}, lab.collected_on, 0) is None]
    obs = representatives(lab_obs(usable), ctx.source.params.confirm_min_days)
    nadirs = []
    for i, anchor in enumerate(ctx.anchors):
        until = ctx.anchors[i + 1] if i + 1 < len(ctx.anchors) else None
        found = lowest([o for o in obs if until is None or o.day <= until], after=anchor)
        if found is not None:
            nadirs.append((anchor, found))
    if not nadirs:
        return None
    return {
        "type": "scatter",
        "mode": "markers",
        "name": "Nadir after T0 (★)",
        "legendgroup": "nadir",
        "x": [o.day.isoformat() for _, o in nadirs],
        "y": [float(o.value) for _, o in nadirs],
        "text": [f"after T0 {anchor.isoformat()}" for anchor, _ in nadirs],
        "hovertemplate": f"<b>Nadir of {style.safe(name)}</b><br>%{{y:,.1~f}} pg/mL<br>%{{x|%Y-%m-%d}}<br>%{{text}}<extra></extra>",
        "marker": {"symbol": "star", "size": 15, "color": style.colour(index), "line": {"color": "#000", "width": 1}},
        "meta": {"unit": "pg/mL"},
        "showlegend": legend,
    }


def vegf_panel(ctx: PanelContext) -> dict:
    rows, table, series_count = [], Table(), 0
    for specimen, label in VEGF_SPECIMENS:
        labs = _labs(ctx, "vegf", specimen)
        if not labs:
            continue
        spec = catalogue.get_spec("vegf", specimen)
        # Series are numbered across the panel, so serum and plasma never look alike.
        first = series_count
        traces = analyte_traces(ctx, labs, "vegf", label, unit="pg/mL", places=1, table=table, first=first)
        series_count += len(traces)
        for i, (_, points) in enumerate(lab_series(labs, "vegf").items()):
            nadir = nadir_trace(ctx, traces[i]["name"], points, index=first + i, legend=first + i == 0)
            if nadir:
                traces.append(nadir)
        segments = reference_segments(labs, spec, ctx.source.data.sex)
        limits = [high for _, _, high in segments if high is not None]
        values = [float(lab.value) for lab in labs if lab.value > 0]
        floor = max(min(values + limits, default=1.0) / 1.6, 0.1)
        shapes = band_shapes(segments, x_range=ctx.x_range, floor=floor)
        entry = band_entry(label, segments, unit="pg/mL", places=1)
        traces += [entry] if entry else []
        yaxis = {"type": "log", **log_ticks(floor, max(values + limits, default=10.0) * 1.2)}
        rows.append(Row(f"{label} (log scale)", "pg/mL", traces, shapes, height=190, yaxis=yaxis))
    if not rows:
        return empty_panel("vegf", "VEGF", "No VEGF recorded.")
    return ctx.panel("vegf", "VEGF", rows, table, note=VEGF_NOTE)


def blood_count_panel(ctx: PanelContext) -> dict:
    rows, table, series_count = [], Table(), 0
    for analyte, label, unit in (("platelets", "Platelets", "×10⁹/L"), ("hemoglobin", "Haemoglobin", "g/L")):
        labs = _labs(ctx, analyte)
        if not labs:
            continue
        spec = catalogue.get_spec(analyte)
        traces = analyte_traces(
            ctx, labs, analyte, label, unit=unit, places=spec.decimal_places, table=table, first=series_count
        )
        series_count += len(traces)
        segments = reference_segments(labs, spec, ctx.source.data.sex)
        shapes = band_shapes(segments, x_range=ctx.x_range)
        entry = band_entry(label, segments, unit=unit, places=spec.decimal_places)
        traces += [entry] if entry else []
        rows.append(Row(label, unit, traces, shapes, height=150, yaxis={"rangemode": "tozero"}))
    if not rows:
        return empty_panel("counts", "Platelets and haemoglobin", "No platelet counts or haemoglobin recorded.")
    return ctx.panel("counts", "Platelets and haemoglobin", rows, table)


def _uln_line(labs: Sequence[LabPoint], text: str, colour: str, x_range) -> tuple[list[dict], list[dict]]:
    """The latest upper limit as a dotted line (shape) and its words in the legend (entry)."""
    high = next((lab.ref_high for lab in reversed(labs) if lab.ref_high is not None), None)
    if high is None:
        return [], []
    line = {"color": colour, "width": 1, "dash": "dot"}
    shape = {
        "type": "line",
        "xref": "x",
        "yref": "y",
        "x0": x_range[0],
        "x1": x_range[1],
        "y0": float(high),
        "y1": float(high),
        "line": line,
    }
    return [shape], [legend_entry(f"{text} {style.number(high)} mg/L", group=f"uln-{text}", line=line)]


def ife_traces(ctx: PanelContext, table: Table) -> list[dict]:
    """Immunofixation is categorical: one marker per test on a serum/urine strip, its result
    told by shape and in words (the hover and the table)."""
    tests = [lab for lab in ctx.source.data.labs if lab.analyte == "ife" and lab.category]
    traces = []
    for category, (name, symbol, colour) in IFE_STYLE.items():
        points = []
        for lab in tests:
            if lab.category != category:
                continue
            where = "Serum" if lab.specimen == "serum" else "Urine"
            shown = f"{category.replace('_', ' ')}{f' ({lab.detail})' if lab.detail else ''}"
            points.append(Point(lab.collected_on, where, "lab", lab.id, shown, note=f"{where} IFE {shown}"))
            table.add(lab.collected_on, f"{where} IFE", shown, ctx.flags.marks("lab", lab.id, lab.collected_on))
        if points:
            trace = ctx.trace(
                name,
                points,
                unit="",
                places=0,
                index=0,
                mode="markers",
                symbol=symbol,
                line={"color": colour},
                hovertemplate="<b>Immunofixation</b><br>%{x|%Y-%m-%d}<br>%{text}<extra></extra>",
            )
            if not isinstance(trace["marker"]["size"], list):
                trace["marker"]["size"] = 10
            traces.append(trace)
    return traces


def paraprotein_panel(ctx: PanelContext) -> dict:
    rows, table = [], Table()
    serum = _labs(ctx, "m_protein", "serum")
    if serum:
        traces = analyte_traces(ctx, serum, "m_protein", "Serum M-protein", unit="g/dL", places=2, table=table)
        rows.append(Row("Serum M-protein", "g/dL", traces, height=130, yaxis={"rangemode": "tozero"}))
    urine = _labs(ctx, "m_protein", "urine_24h")
    if urine:
        traces = analyte_traces(ctx, urine, "m_protein", "Urine M-protein", unit="mg/24 h", places=0, table=table)
        rows.append(Row("Urine M-protein", "mg/24 h", traces, height=120, yaxis={"rangemode": "tozero"}))
    kappa, lam = _labs(ctx, "flc_kappa", "serum"), _labs(ctx, "flc_lambda", "serum")
    if kappa or lam:
        traces = analyte_traces(ctx, kappa, "flc_kappa", "Free kappa", unit="mg/L", places=1, table=table)
        first_lambda = len(traces)
        traces += analyte_traces(
            ctx, lam, "flc_lambda", "Free lambda", unit="mg/L", places=1, table=table, first=first_lambda
        )
        shapes, entries = _uln_line(kappa, "κ upper limit", style.colour(0), ctx.x_range)
        more_shapes, more_entries = _uln_line(lam, "λ upper limit", style.colour(first_lambda), ctx.x_range)
        shapes += more_shapes
        traces += entries + more_entries
        rows.append(Row("Free light chains", "mg/L", traces, shapes, height=150, yaxis={"rangemode": "tozero"}))
    ife = ife_traces(ctx, table)
    if ife:
        present = {y for trace in ife for y in trace["y"]}
        strips = [name for name in ("Urine", "Serum") if name in present]
        yaxis = {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": strips,
            "range": [-0.6, len(strips) - 0.4],
        }
        rows.append(Row("Immunofixation", "", ife, height=34 + 22 * len(strips), yaxis=yaxis))
    if not rows:
        return empty_panel("paraprotein", "Paraprotein and light chains", "No paraprotein or light chains recorded.")
    return ctx.panel("paraprotein", "Paraprotein and light chains", rows, table)
