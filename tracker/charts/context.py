"""What every panel builder shares: the input, the flag index, the common x range, anchors.

Also the one shape of a built panel, so the template can loop without knowing which panel it
is drawing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.charts import style
from tracker.charts.base import FlagIndex, Point, Row, SeriesStyle, Table, series_trace
from tracker.charts.inputs import TimelineInput
from tracker.charts.layout import panel_figure
from tracker.rules.series import Timeline

MIN_PAD_DAYS = 20


@dataclass
class PanelContext:
    source: TimelineInput
    flags: FlagIndex
    x_range: tuple[str, str]
    anchors: tuple[date, ...]
    timeline: Timeline
    compact: bool = False

    @classmethod
    def build(cls, source: TimelineInput, *, x_range: tuple[str, str], compact: bool = False) -> PanelContext:
        timeline = Timeline(source.data.treatments)
        return cls(source, FlagIndex(source.flags), x_range, anchors_of(source, timeline), timeline, compact)

    @property
    def sources(self):
        return self.source.sources

    def trace(
        self, name: str, points: Sequence[Point], *, table: Table | None = None, column: str = "", **look
    ) -> dict:
        """The series' trace; its values also go into `table` (under `column`, default
        "name (unit)") when one is given. `look` are the fields of `SeriesStyle`."""
        look = SeriesStyle(**look)
        trace, cells = series_trace(name, points, look, flags=self.flags, sources=self.sources)
        if table is not None:
            for cell in cells:
                table.add(cell.day, column or f"{name} ({look.unit})", cell.text, cell.marks)
        return trace

    def panel(self, key: str, title: str, rows: Sequence[Row], table: Table | None, *, note: str = "") -> dict:
        figure = panel_figure(rows, x_range=self.x_range, anchors=self.anchors, compact=self.compact)
        return {
            "id": key,
            "title": title,
            "note": note,
            "empty": "",
            "summary": summary(title, figure["data"]),
            "height": figure["layout"]["height"],
            "payload": {"figure": figure, "table": table.as_json() if table and not self.compact else None},
        }


def anchors_of(source: TimelineInput, timeline: Timeline | None = None) -> tuple[date, ...]:
    """The response anchors (T0) drawn: those on or before the chart's day."""
    timeline = timeline or Timeline(source.data.treatments)
    return tuple(sorted({a.day for a in timeline.anchors if a.day <= source.as_of}))


def empty_panel(key: str, title: str, message: str) -> dict:
    """A panel with no data: left out of the page but for a note saying so."""
    return {"id": key, "title": title, "note": "", "empty": message, "summary": "", "height": 0, "payload": None}


def padded_range(days: Sequence[date], *, fallback: date) -> tuple[str, str]:
    """From the first to the last of `days` with a little room either side (`fallback` alone
    when there are none)."""
    first, last = (min(days), max(days)) if days else (fallback, fallback)
    pad = timedelta(days=max(MIN_PAD_DAYS, (last - first).days // 40))
    return (_shift(first, -pad).isoformat(), _shift(last, pad).isoformat())


def _shift(day: date, by: timedelta) -> date:
    """`day` moved by `by`, stopping at the calendar's ends (a stored 9999-12-31 must not break a page)."""
    try:
        return day + by
    except OverflowError:
        return date.max if by > timedelta(0) else date.min


def summary(title: str, traces: Sequence[dict]) -> str:
    """A sentence per series for screen readers and image alt text: how many values, over
    which dates, and the latest with its unit. Legend items that explain a band, a limit or a
    flag marker are not series and are left out; so is any part that is missing."""
    parts = []
    for trace in traces:
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        xs = [x for x in trace.get("x") or [] if x is not None]
        ys = trace.get("y") or []
        if trace.get("type") != "scatter" or not xs or trace.get("showlegend") is False or meta.get("explains"):
            continue
        latest = meta.get("latest") or _latest(ys[-1] if ys else None, meta.get("unit", ""))
        span = f"on {xs[0]}" if len(xs) == 1 else f"from {xs[0]} to {xs[-1]}"
        part = f"{html.unescape(trace['name'])}: {style.plural(len(xs), 'value')} {span}"
        if latest:
            part += f", {'latest ' if len(xs) > 1 else ''}{latest}"
        parts.append(part)
    text = "; ".join(parts)
    return f"{title} chart. {text}." if text else f"{title} chart."


def _latest(value, unit: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return style.with_unit(style.number(value), unit)
    return "" if value is None else html.unescape(str(value))
