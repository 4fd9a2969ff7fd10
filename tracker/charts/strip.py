"""The treatment strip at the top of the timeline: a labelled band per treatment, imaging
studies as markers, and a dashed line with a "T0" label at each response anchor."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.charts import style
from tracker.charts.base import flag_lines
from tracker.charts.context import PanelContext, empty_panel
from tracker.charts.inputs import TimelineInput
from tracker.charts.layout import base_layout, x_axis
from tracker.charts.markers import marker_traces

CATEGORIES = {
    "systemic_anti_plasma_cell": ("Systemic anti-plasma-cell therapy", "#0072B2"),
    "asct": ("High-dose therapy with ASCT", "#CC79A7"),
    "radiotherapy": ("Radiotherapy", "#009E73"),
    "corticosteroid": ("Corticosteroid", "#E69F00"),
    "neuropathic_pain_drug": ("Neuropathic pain drug", "#7F7F7F"),
    "thromboprophylaxis": ("Thromboprophylaxis", "#7F7F7F"),
    "supportive_other": ("Other supportive care", "#7F7F7F"),
}
MODALITIES = {"pet_ct": "PET-CT", "ct": "CT", "mri": "MRI", "xray": "X-ray"}
MIN_BAR_DAYS = 10
"""A two-day ASCT would be a hairline at ten years; it is drawn at least this wide."""
LABEL_PX = 7
ASSUMED_PLOT_PX = 900
LANE_PX = 30


def bar_end(t, as_of: date) -> date:
    """Where a treatment's bar ends: its end date, today while it goes on, and never less
    than MIN_BAR_DAYS after its start."""
    return max(t.end_date or as_of, t.start_date + timedelta(days=MIN_BAR_DAYS))


def strip_days(source: TimelineInput) -> list[date]:
    """The days the strip draws: each treatment's bar, imaging studies and record markers."""
    days = [day for t in source.data.treatments for day in (t.start_date, bar_end(t, source.as_of))]
    days += [study.study_date for study in source.data.imaging]
    days += [marker.day for marker in source.markers]
    return days


def _lanes(source: TimelineInput, x_span_days: int) -> list[tuple[object, int, date]]:
    """Each treatment with a lane, so that neither bars nor their labels overlap at desktop width."""
    day_per_px = x_span_days / ASSUMED_PLOT_PX
    lane_ends: list[date] = []
    placed = []
    for t in sorted(source.data.treatments, key=lambda t: (t.start_date, t.id)):
        end = bar_end(t, source.as_of)
        label = source.treatment_labels.get(t.id, "")
        reserved = end + timedelta(days=int(len(label) * LABEL_PX * day_per_px) + 4)
        lane = next((i for i, last in enumerate(lane_ends) if last < t.start_date), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(reserved)
        else:
            lane_ends[lane] = reserved
        placed.append((t, lane, end))
    return placed


def _bar_hover(t, label: str, category: str) -> str:
    details = [category]
    if t.intent:
        details.append(t.intent.replace("_", " "))
    if t.line:
        details.append(f"line {t.line}")
    lines = [f"<b>{style.safe(label)}</b>", " · ".join(details)]
    lines.append(f"{t.start_date.isoformat()} → {t.end_date.isoformat() if t.end_date else 'ongoing'}")
    if t.agents:
        lines.append(", ".join(t.agents))
    if t.anchor_date:
        lines.append(f"Response anchor T0 {t.anchor_date.isoformat()}")
    return "<br>".join(lines)


def _bars(ctx: PanelContext, placed) -> dict:
    labels, hovers, colours, bases, widths, lanes = [], [], [], [], [], []
    for t, lane, end in placed:
        category, colour = CATEGORIES.get(t.category, (t.category, "#7F7F7F"))
        label = ctx.source.treatment_labels.get(t.id) or category
        labels.append(style.safe(label))
        hovers.append(_bar_hover(t, label, category))
        colours.append(colour)
        bases.append(t.start_date.isoformat())
        widths.append(((end - t.start_date).days + 1) * style.MS_PER_DAY)
        lanes.append(lane)
    return {
        "type": "bar",
        "orientation": "h",
        "name": "Treatments",
        "base": bases,
        "x": widths,
        "y": lanes,
        "width": 0.62,
        "text": labels,
        "textposition": "auto",
        "insidetextanchor": "start",
        "textangle": 0,
        "constraintext": "none",
        "cliponaxis": False,
        "textfont": {"size": style.ANNOTATION_PX},
        "hovertext": hovers,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"color": colours, "line": {"color": "#1f3b57", "width": 1}},
        "showlegend": False,
    }


def _imaging(ctx: PanelContext, lane: int) -> dict:
    xs, labels, hovers, urls, symbols, colours, sizes = [], [], [], [], [], [], []
    for study in ctx.source.data.imaging:
        marks = ctx.flags.marks("imaging", study.id, study.study_date)
        category = study.response_category or "no category"
        modality = MODALITIES.get(study.modality, study.modality)
        title = f"<b>{modality} {study.study_date.isoformat()}</b><br>radiologist: {category}"
        if study.new_lesion:
            title += ", new lesion"
        xs.append(study.study_date.isoformat())
        labels.append(category if category != "baseline" else "BL")
        hovers.append("<br>".join([title, *flag_lines(marks)]))
        flag = style.FLAG_STYLE.get(marks[0].severity) if marks else None
        urls.append(marks[0].url if marks else None)
        symbols.append(flag["symbol"] if flag else "circle-open")
        colours.append(flag["color"] if flag else "#495057")
        sizes.append(flag["size"] if flag else 10)
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": "Imaging",
        "x": xs,
        "y": [lane] * len(xs),
        "text": labels,
        "textposition": "top center",
        "textfont": {"size": style.ANNOTATION_PX},
        "hovertext": hovers,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": urls,
        "cliponaxis": False,
        "marker": {"symbol": symbols, "color": colours, "size": sizes, "line": {"color": "#000", "width": 1}},
        "showlegend": False,
    }


def treatment_strip(ctx: PanelContext) -> dict:
    data = ctx.source.data
    if not data.treatments and not data.imaging and not ctx.source.markers:
        return empty_panel("treatments", "Treatments", "No treatments or imaging recorded.")
    span = (date.fromisoformat(ctx.x_range[1]) - date.fromisoformat(ctx.x_range[0])).days
    placed = _lanes(ctx.source, span)
    n_lanes = max((lane for _, lane, _ in placed), default=-1) + 1
    traces = [_bars(ctx, placed)] if placed else []
    tickvals, ticktext = ([0], ["Treatment"]) if placed else ([], [])
    top = max(n_lanes, 1) - 1
    if data.imaging:
        top = n_lanes
        traces.append(_imaging(ctx, top))
        tickvals.append(top)
        ticktext.append("Imaging")
    for lane, trace in marker_traces(ctx, top + 1):
        top = trace["y"][0]
        traces.append(trace)
        tickvals.append(top)
        ticktext.append(lane)
    shapes, annotations = [], []
    for day in ctx.anchors:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day.isoformat(),
                "x1": day.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": style.ANCHOR_COLOUR, "width": 1.5, "dash": "dash"},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "text": f"T0 {day.isoformat()}",
                "x": day.isoformat(),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": style.ANNOTATION_PX, "color": style.ANCHOR_COLOUR},
            }
        )
    lanes_shown = top + 1
    layout = base_layout(compact=ctx.compact)
    lane_px = LANE_PX // 2 + 4 if ctx.compact else LANE_PX
    layout.update(
        height=lane_px * lanes_shown + 18 + layout["margin"]["b"] + 20,
        margin={**layout["margin"], "t": 20},
        showlegend=False,
        xaxis=x_axis(ctx.x_range, compact=ctx.compact),
        yaxis={
            "range": [-0.6, top + 0.6],
            "tickvals": tickvals,
            "ticktext": ticktext,
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "automargin": False,
            "tickfont": {"size": style.ANNOTATION_PX},
        },
        shapes=shapes,
        annotations=annotations,
        bargap=0.3,
    )
    figure = {"data": traces, "layout": layout}
    return {
        "id": "treatments",
        "title": "Treatments and imaging",
        "note": "Dashed lines mark each response anchor (T0); they run through every panel below.",
        "empty": "",
        "summary": _summary(ctx, placed),
        "height": layout["height"],
        "payload": {"figure": figure, "table": None if ctx.compact else _table(ctx, placed)},
    }


def _summary(ctx: PanelContext, placed) -> str:
    """The strip in words: each treatment with its dates, the anchors, the imaging studies and
    the marker lanes; a part with nothing in it is left out."""
    parts = []
    for t, _, _ in placed:
        name = ctx.source.treatment_labels.get(t.id) or CATEGORIES.get(t.category, (t.category,))[0]
        parts.append(f"{name} {t.start_date.isoformat()} to {t.end_date.isoformat() if t.end_date else 'ongoing'}")
    treatments = ", ".join(parts)
    if ctx.anchors:
        noun = "response anchor (T0)" if len(ctx.anchors) == 1 else "response anchors (T0)"
        parts = [treatments, f"{noun} {', '.join(d.isoformat() for d in ctx.anchors)}"]
    else:
        parts = [treatments]
    days = sorted(study.study_date.isoformat() for study in ctx.source.data.imaging)
    if days:
        parts.append(_dated(style.plural(len(days), "imaging study"), days))
    lanes: dict[str, list[str]] = {}
    for marker in ctx.source.markers:
        lanes.setdefault(marker.lane, []).append(marker.day.isoformat())
    parts += [_dated(f"{lane}: {style.plural(len(days), 'record')}", sorted(days)) for lane, days in lanes.items()]
    return f"Treatments and imaging chart: {'; '.join(p for p in parts if p)}."


def _dated(text: str, days: list[str]) -> str:
    return f"{text} on {days[0]}" if len(days) == 1 else f"{text} from {days[0]} to {days[-1]}"


def _table(ctx: PanelContext, placed) -> dict:
    rows = []
    for t, _, _ in sorted(placed, key=lambda item: item[0].start_date, reverse=True):
        label = ctx.source.treatment_labels.get(t.id) or CATEGORIES.get(t.category, (t.category,))[0]
        end = t.end_date.isoformat() if t.end_date else "ongoing"
        anchor = t.anchor_date.isoformat() if t.anchor_date else "—"
        rows.append([t.start_date.isoformat(), [label, []], [end, []], [anchor, []]])
    for study in sorted(ctx.source.data.imaging, key=lambda s: s.study_date, reverse=True):
        marks = ctx.flags.marks("imaging", study.id, study.study_date)
        text = f"{MODALITIES.get(study.modality, study.modality)}: {study.response_category or 'no category'}"
        if study.new_lesion:
            text += ", new lesion"
        rows.append([study.study_date.isoformat(), [text, [[f.url, f.label, f.severity] for f in marks]], None, None])
    rows.sort(key=lambda row: row[0], reverse=True)
    return {"columns": ["Date", "Treatment or imaging", "Ended", "Response anchor (T0)"], "rows": rows}
