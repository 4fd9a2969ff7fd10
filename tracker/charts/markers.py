"""Markers of dated records on the treatment strip: one lane per kind (bone marrow, events)."""

from __future__ import annotations

from tracker.charts import style
from tracker.charts.context import PanelContext


def marker_traces(ctx: PanelContext, first_lane: int) -> list[tuple[str, dict]]:
    """(lane name, scatter trace) for each lane of `ctx.source.markers`, in order of first use,
    the first at y = `first_lane`."""
    lanes: dict[str, list] = {}
    for marker in sorted(ctx.source.markers, key=lambda m: m.day):
        lanes.setdefault(marker.lane, []).append(marker)
    traces = []
    for offset, (lane, markers) in enumerate(lanes.items()):
        traces.append(
            (
                lane,
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "name": lane,
                    "x": [m.day.isoformat() for m in markers],
                    "y": [first_lane + offset] * len(markers),
                    "text": [m.label for m in markers],
                    "textposition": "top center",
                    "textfont": {"size": style.ANNOTATION_PX},
                    "hovertext": [f"<b>{m.hover}</b><br>{m.day.isoformat()}" for m in markers],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                    "customdata": [m.url or None for m in markers],
                    "cliponaxis": False,
                    "marker": {
                        "symbol": "diamond",
                        "color": "#6f42c1",
                        "size": 10,
                        "line": {"color": "#000", "width": 1},
                    },
                    "showlegend": False,
                },
            )
        )
    return traces
