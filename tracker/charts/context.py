"""What every panel builder shares: the input, the flag index, the common x range, anchors.

Also the one shape of a built panel, so the template can loop without knowing which panel it
is drawing.
"""

from __future__ import annotations

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
    def build(cls, source: TimelineInput, *, compact: bool = False) -> PanelContext:
        timeline = Timeline(source.data.treatments)
        anchors = tuple(sorted({a.day for a in timeline.anchors if a.day <= source.as_of}))
        return cls(source, FlagIndex(source.flags), x_range_of(source), anchors, timeline, compact)

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


def empty_panel(key: str, title: str, message: str) -> dict:
    """A panel with no data: left out of the page but for a note saying so."""
    return {"id": key, "title": title, "note": "", "empty": message, "summary": "", "height": 0, "payload": None}


def x_range_of(source: TimelineInput) -> tuple[str, str]:
    """From the first record to the later of the last record and today, with a little room."""
    data = source.data
    days = [lab.collected_on for lab in data.labs]
    days += [v.visit_date for v in data.visits]
    days += [n.study_date for n in data.ncs]
    days += [i.study_date for i in data.imaging]
    days += [s.reported_on for s in data.symptoms]
    for t in data.treatments:
        days += [t.start_date, t.end_date or t.start_date]
    days.append(source.as_of)
    first, last = min(days), max(days)
    pad = timedelta(days=max(MIN_PAD_DAYS, (last - first).days // 40))
    return (_shift(first, -pad).isoformat(), _shift(last, pad).isoformat())


def _shift(day: date, by: timedelta) -> date:
    """`day` moved by `by`, stopping at the calendar's ends (a stored 9999-12-31 must not break a page)."""
    try:
        return day + by
    except OverflowError:
        return date.max if by > timedelta(0) else date.min


def summary(title: str, traces: Sequence[dict]) -> str:
    """A sentence per series for screen readers and image alt text: count, span and latest."""
    parts = []
    for trace in traces:
        xs, ys = trace.get("x") or [], trace.get("y") or []
        if trace.get("type") != "scatter" or not xs or trace.get("showlegend") is False:
            continue
        unit = trace.get("meta", {}).get("unit", "") if isinstance(trace.get("meta"), dict) else ""
        latest = style.number(ys[-1]) if isinstance(ys[-1], int | float) else str(ys[-1])
        parts.append(f"{trace['name']}: {len(xs)} values {xs[0]} to {xs[-1]}, latest {latest} {unit}".rstrip())
    text = "; ".join(parts)
    return f"{title} chart. {text}." if text else f"{title} chart."
