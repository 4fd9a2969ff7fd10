"""Laying rows out into Plotly figures: stacked subplots, axes, legends, anchor lines.

A panel is one Plotly figure of one or more stacked rows sharing the x-axis (rows are needed
where one panel holds quantities in different units, such as platelets and haemoglobin).
All panels of the page get the same x range and the same fixed left and right margins, so
their plot areas line up exactly and the page script can keep their ranges in step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from tracker.charts import style
from tracker.charts.base import Row, legend_entry

MARGIN = {"l": 66, "r": 18, "t": 6, "b": 28}
ROW_GAP = 30
"""Pixels between stacked rows: room for the row title."""
LEGEND_LINE = 24
LEGEND_PER_LINE = 4
COMPACT = 0.42
COMPACT_MIN_ROW = 34
COMPACT_ROW_GAP = 18
COMPACT_LEGEND_LINE = 19


def log_ticks(low: float, high: float) -> dict:
    """Tick values 1, 2, 5 x 10^k between `low` and `high`, written out ("1,000", "2,000"):
    Plotly's own log ticks label only the digits between the decades. No ticks for a range
    that a log axis cannot show (a stored zero or negative limit)."""
    if not (0 < low <= high) or not math.isfinite(high):
        return {}
    values = [
        m * 10**k
        for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in (1, 2, 5)
        if low <= m * 10**k <= high
    ]
    return {"tickvals": values, "ticktext": [style.number(v) for v in values]}


def _suffix(row_index: int) -> str:
    return "" if row_index == 0 else str(row_index + 1)


def panel_figure(
    rows: Sequence[Row], *, x_range: Sequence[str], anchors: Sequence[date], compact: bool = False
) -> dict:
    """Stack `rows` into one figure sharing the x-axis, with a dashed line at each anchor T0.

    `compact` (the printable summary) shrinks every row, smaller type, and leaves out of the
    legend what the summary page explains in words (flag markers, T0), so that the charts fit
    one A4 page. Series the page starts hidden (quiet symptoms) are drawn: paper has no legend
    to click.
    """
    if compact:
        rows = [
            Row(
                r.title,
                r.unit,
                [_compact_trace(t) for t in r.traces],
                r.shapes,
                max(COMPACT_MIN_ROW, int(r.height * COMPACT)),
                r.yaxis,
            )
            for r in rows
        ]
    gap = (COMPACT_ROW_GAP if compact else ROW_GAP) if len(rows) > 1 else 0
    # The gap above the first row holds its title, below the legend.
    plot_height = sum(r.height for r in rows) + gap * len(rows)
    data, shapes, annotations, layout = [], [], [], {}
    top = plot_height - gap
    for i, row in enumerate(rows):
        s = _suffix(i)
        domain = [max(0.0, (top - row.height) / plot_height), top / plot_height]
        top -= row.height + gap
        data += [{**trace, "xaxis": f"x{s}", "yaxis": f"y{s}"} for trace in row.traces]
        shapes += [{**shape, "xref": f"x{s}", "yref": shape["yref"].replace("y", f"y{s}", 1)} for shape in row.shapes]
        shapes += anchor_lines(anchors, s, legend=i == 0 and not compact)
        if len(rows) > 1:
            annotations.append(_row_title(row.title, domain[1], compact))
        layout[f"xaxis{s}"] = x_axis(
            x_range, anchor=f"y{s}", ticks=i == len(rows) - 1, matches="x" if i else "", compact=compact
        )
        layout[f"yaxis{s}"] = _y_axis(row, domain, s, compact)
    if not compact:
        flagged = {s for trace in data for s in (trace.get("meta") or {}).get("flags", ())}
        data += [flag_legend_entry(severity) for severity in ("red", "amber", "info") if severity in flagged]
    entries = sum(t.get("showlegend", True) is not False for t in data) + sum(bool(x.get("showlegend")) for x in shapes)
    if compact:
        # A summary legend stands at the right, one entry a line, beside the plot it explains.
        # An entry written on two lines (a reference range) takes two.
        lines = entries + sum(t.get("name", "").count("<br>") for t in data if t.get("showlegend", True) is not False)
        legend_height, plot_height = 0, max(plot_height, COMPACT_LEGEND_LINE * lines)
    else:
        legend_height = LEGEND_LINE * math.ceil(entries / LEGEND_PER_LINE) + 4 if entries else 0
    margin = base_layout(compact=compact)["margin"]
    layout.update(
        base_layout(compact=compact),
        height=plot_height + margin["t"] + margin["b"] + legend_height,
        shapes=shapes,
        annotations=annotations,
    )
    return {"data": data, "layout": layout}


def _compact_trace(trace: dict) -> dict:
    """A trace for the summary: hidden series drawn (paper has no legend to click), and a band's
    or limit's legend words on two lines, so the legend beside the plot stays narrow."""
    if trace.get("visible") == "legendonly":
        trace = {**trace, "visible": True}
    if (trace.get("meta") or {}).get("explains"):
        for words in (" reference ", " upper limit "):
            if words in trace["name"]:
                trace = {**trace, "name": trace["name"].replace(words, "<br>" + words.lstrip(), 1)}
    return trace


def anchor_lines(anchors: Sequence[date], suffix: str, *, legend: bool) -> list[dict]:
    """A dashed vertical line at each anchor T0, the height of one row."""
    lines = []
    for n, day in enumerate(anchors):
        line = {
            "type": "line",
            "xref": f"x{suffix}",
            "yref": f"y{suffix} domain",
            "x0": day.isoformat(),
            "x1": day.isoformat(),
            "y0": 0,
            "y1": 1,
            "line": {"color": style.ANCHOR_COLOUR, "width": 1.5, "dash": "dash"},
            "layer": "below",
        }
        if legend and n == 0:
            line.update(showlegend=True, name="T0 (response anchor)", legendgroup="t0")
        lines.append(line)
    return lines


def _row_title(title: str, top: float, compact: bool) -> dict:
    return {
        "text": f"<b>{style.safe(title)}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": top,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 10 if compact else 12},
    }


def _y_axis(row: Row, domain: list[float], suffix: str, compact: bool) -> dict:
    size = 9 if compact else 11
    return {
        "domain": domain,
        "anchor": f"x{suffix}",
        "title": {"text": row.unit, "font": {"size": size}, "standoff": 4},
        "automargin": False,
        "fixedrange": True,
        "gridcolor": style.GRID,
        "zeroline": False,
        "showline": True,
        "linecolor": "#adb5bd",
        "ticks": "outside",
        "tickfont": {"size": size},
        "nticks": 4 if compact else 0,
        **row.yaxis,
    }


def flag_legend_entry(severity: str) -> dict:
    """A legend item explaining a flag marker; it draws nothing itself."""
    look = style.FLAG_STYLE[severity]
    return legend_entry(
        f"{severity.upper()} flag ({look['mark']}, click it)",
        group=f"flag-{severity}",
        marker={"symbol": look["symbol"], "size": 12, "color": look["color"], "line": {"color": "#000", "width": 1.5}},
    )


def x_axis(
    x_range: Sequence[str], *, anchor: str = "y", ticks: bool = True, matches: str = "", compact: bool = False
) -> dict:
    axis = {
        "type": "date",
        "range": list(x_range),
        "anchor": anchor,
        "showticklabels": ticks,
        "ticks": "outside" if ticks else "",
        "gridcolor": style.GRID,
        "showline": True,
        "linecolor": "#adb5bd",
        "automargin": False,
        "tickfont": {"size": 9 if compact else 11},
        "hoverformat": "%Y-%m-%d",
    }
    if matches:
        axis["matches"] = matches
    return axis


def base_layout(*, compact: bool = False) -> dict:
    return {
        "margin": {**MARGIN, "l": 52, "b": 22} if compact else dict(MARGIN),
        "font": {"family": style.FONT, "size": 10 if compact else 12, "color": style.INK},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "namelength": -1, "font": {"size": 12}},
        "showlegend": True,
        "legend": (
            {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 8}}
            if compact
            else {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "bottom",
                "font": {"size": style.ANNOTATION_PX},
            }
        ),
        "dragmode": "zoom",
    }
