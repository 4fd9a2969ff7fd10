"""The pieces every timeline panel is made of: points, flag marks, traces, bands, tables.

How they are laid out into figures is in `layout.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.charts import style
from tracker.charts.inputs import FlagMark

SCALE_TAGS = {"ONLS": "onls_total", "INCAT": "incat_total", "mRS": "mrs", "ECOG": "ecog"}
EVIDENCE_KINDS = {
    "lab_result_ids": "lab",
    "visit_ids": "visit",
    "symptom_ids": "symptom",
    "imaging_ids": "imaging",
    "ncs_ids": "ncs",
}


def _tags(evidence) -> frozenset | None:
    """Which series of a record a flag is about; None when it is about the whole record."""
    if "weights_kg" in evidence:
        return frozenset({"weight"})
    if evidence.get("scores"):
        return frozenset(SCALE_TAGS.get(s.get("scale"), s.get("scale")) for s in evidence["scores"])
    if evidence.get("items"):
        return frozenset(i.get("item") for i in evidence["items"])
    return None


class FlagIndex:
    """Finds the flags a plotted point stands for, in one dict lookup per point.

    A point carries a flag when its record is in the flag's evidence and it is dated on the
    day the flag was raised: the earlier records in the evidence (the nadir, the previous
    report, the first of two consecutive results) are context, not the finding.
    """

    def __init__(self, flags: Iterable[FlagMark]):
        self._by_record: dict[tuple[str, int], list[tuple[FlagMark, frozenset | None]]] = {}
        for flag in flags:
            tags = _tags(flag.evidence or {})
            for key, kind in EVIDENCE_KINDS.items():
                for record_id in (flag.evidence or {}).get(key) or ():
                    self._by_record.setdefault((kind, record_id), []).append((flag, tags))

    def marks(self, kind: str, record_id: int, day: date, tag: str = "") -> list[FlagMark]:
        found = [
            flag
            for flag, tags in self._by_record.get((kind, record_id), ())
            if flag.raised_on == day and (tags is None or tag in tags)
        ]
        return sorted(found, key=lambda f: (-f.rank, f.rule))


@dataclass(frozen=True)
class Point:
    """One plotted value; `display` is what the table shows ("<5", "absent")."""

    day: date
    value: float | str
    kind: str
    record_id: int
    display: str
    tag: str = ""
    note: str = ""


class Table:
    """The numbers behind a panel, one row per date, newest first, one column per series."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.cells: dict[date, dict[str, list]] = {}

    def add(self, day: date, column: str, text: str, marks: Sequence[FlagMark] = ()) -> None:
        if column not in self.columns:
            self.columns.append(column)
        cell = self.cells.setdefault(day, {}).get(column)
        flags = [[f.url, f.label, f.severity] for f in marks]
        if cell is None:
            self.cells[day][column] = [text, flags]
        else:
            cell[0] = f"{cell[0]} / {text}"
            cell[1].extend(flags)

    def as_json(self) -> dict:
        rows = []
        for day in sorted(self.cells, reverse=True):
            by_column = self.cells[day]
            rows.append([day.isoformat(), *(by_column.get(c) for c in self.columns)])
        return {"columns": ["Date", *self.columns], "rows": rows}


@dataclass
class Row:
    """One subplot of a panel: its traces, its shapes (bands) and its y-axis."""

    title: str
    unit: str
    traces: list[dict]
    shapes: list[dict] = field(default_factory=list)
    height: int = 160
    yaxis: dict = field(default_factory=dict)


def flag_lines(marks: Sequence[FlagMark]) -> list[str]:
    """Hover lines naming each flag of a point, with its symbol as well as its colour."""
    lines = []
    for flag in marks:
        mark = style.FLAG_STYLE.get(flag.severity, style.FLAG_STYLE["info"])["mark"]
        status = " (acknowledged)" if flag.status == "acknowledged" else ""
        lines.append(f"<b>{mark} {flag.label}{status}</b>: {style.safe(style.shorten(flag.explanation))}")
    if marks:
        lines.append("Click the point to open the flag.")
    return lines


def hover_lines(point: Point, source: str, marks: Sequence[FlagMark]) -> str:
    lines = [style.safe(point.note)] if point.note else []
    if source:
        lines.append(style.safe(source))
    return "<br>".join(lines + flag_lines(marks))


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: its unit and decimals for the hover text, its place among the
    panel's series (colour and dash), and any override of line, marker or hover template."""

    unit: str
    places: int
    index: int
    line: dict | None = None
    symbol: str = ""  # default: the index's shape (style.symbol)
    mode: str = "lines+markers"
    hovertemplate: str = ""


@dataclass(frozen=True)
class TableCell:
    """One value of a series for the panel's number table."""

    day: date
    text: str
    marks: tuple[FlagMark, ...]


def series_trace(
    name: str, points: Sequence[Point], look: SeriesStyle, *, flags: FlagIndex, sources
) -> tuple[dict, list[TableCell]]:
    """A lines+markers trace whose flagged points change shape, colour and size.

    The hover template carries the unit, so the unit shows however the point is reached;
    the per-point text adds the note, the source and any flag. `customdata` holds the flag
    page of each flagged point (None elsewhere) for the page script's click handler. Returns
    the trace and the series' cells for the number table (the caller decides the table).
    """
    unit, places, line = look.unit, look.places, look.line
    symbol = look.symbol or style.symbol(look.index)
    colour = (line or {}).get("color", style.colour(look.index))
    cells: list[TableCell] = []
    xs, ys, texts, urls = [], [], [], []
    symbols, sizes, colours = [], [], []
    severities: set[str] = set()
    plain: dict[str, str] = {}
    any_flag = False
    for point in points:
        marks = flags.marks(point.kind, point.record_id, point.day, point.tag)
        xs.append(point.day.isoformat())
        ys.append(point.value)
        source = sources.get((point.kind, point.record_id), "")
        if marks or point.note:
            texts.append(hover_lines(point, source, marks))
        else:
            # Most points share their source ("City lab; entered by staff"): escape it once.
            if source not in plain:
                plain[source] = style.safe(source)
            texts.append(plain[source])
        if marks:
            any_flag = True
            severities.add(marks[0].severity)
            flag_style = style.FLAG_STYLE.get(marks[0].severity, style.FLAG_STYLE["info"])
            symbols.append(flag_style["symbol"])
            sizes.append(flag_style["size"])
            colours.append(flag_style["color"])
            urls.append(marks[0].url)
        else:
            symbols.append(symbol)
            sizes.append(style.POINT_SIZE)
            colours.append(colour)
            urls.append(None)
        cells.append(TableCell(point.day, point.display, tuple(marks)))
    latest = points[-1].display if points else ""
    trace = {
        "type": "scatter",
        "mode": look.mode,
        "name": style.safe(name),  # lab and assay names are typed by people: no markup in legends
        # `latest` as the table writes it ("<5", "absent"), for the chart's text alternative.
        "meta": {"unit": unit, "latest": style.with_unit(latest, unit)},
        "x": xs,
        "y": ys,
        "text": texts,
        "hovertemplate": look.hovertemplate
        or f"<b>{style.safe(name)}</b><br>%{{y:,.{places}~f}} {unit}<br>%{{x|%Y-%m-%d}}<br>%{{text}}<extra></extra>",
        "line": {"color": colour, "width": 2, "dash": style.dash(look.index), **(line or {})},
        "marker": {"symbol": symbol, "size": style.POINT_SIZE, "color": colour},
    }
    if any_flag:
        trace["meta"]["flags"] = sorted(severities)
        trace["marker"] = {
            "symbol": symbols,
            "size": sizes,
            "color": colours,
            "line": {"color": "#000", "width": [1.5 if u else 0 for u in urls]},
        }
        trace["customdata"] = urls
    return trace, cells


def band_shapes(
    segments: Sequence[tuple[date, float | None, float | None]],
    *,
    x_range: Sequence[str],
    floor: float = 0.0,
) -> list[dict]:
    """Reference-range rectangles, one per stretch of results sharing a range.

    `segments` are (first day, low, high) in date order; a stretch lasts until the next one
    starts, the first reaches back to the start of the axis and the last to its end. A range
    with no lower limit starts at `floor` (0, or a positive floor on a log axis). The bands
    carry no words: `band_entry` names the range in the legend, where no point can cover it.
    """
    shapes = []
    for i, (day, low, high) in enumerate(segments):
        if high is None:
            continue
        x0 = x_range[0] if i == 0 else day.isoformat()
        x1 = segments[i + 1][0].isoformat() if i + 1 < len(segments) else x_range[1]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": x0,
                "x1": x1,
                "y0": low if low is not None else floor,
                "y1": high,
                "fillcolor": style.BAND_FILL,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return shapes


def band_entry(
    label: str, segments: Sequence[tuple[date, float | None, float | None]], *, unit: str, places: int = 2
) -> dict | None:
    """A legend item naming the latest reference range ("Platelets reference 150–400 ×10⁹/L"),
    a shaded square like the band; it draws nothing on the plot. None without an upper limit."""
    latest = next((seg for seg in reversed(segments) if seg[2] is not None), None)
    if latest is None:
        return None
    _, low, high = latest
    limits = (
        f"reference {style.number(low, places)}–{style.number(high, places)}"
        if low is not None
        else f"upper limit {style.number(high, places)}"
    )
    return legend_entry(
        f"{label} {limits} {unit}".strip(),
        group=f"band-{label}",
        marker={
            "symbol": "square",
            "size": 14,
            "color": style.BAND_FILL,
            "line": {"color": style.BAND_TEXT, "width": 1},
        },
    )


def legend_entry(name: str, *, group: str, marker: dict | None = None, line: dict | None = None) -> dict:
    """A legend item that explains something drawn otherwise (a band, a limit line, a flag
    marker): one point at None, so it draws nothing, takes no hover and counts as no series."""
    entry = {
        "type": "scatter",
        "mode": "lines" if line else "markers",
        "name": name,
        "legendgroup": group,
        "x": [None],
        "y": [None],
        "hoverinfo": "skip",
        "meta": {"explains": True},
    }
    if line:
        entry["line"] = line
    if marker:
        entry["marker"] = marker
    return entry
