"""Pure mappers from one patient's plain records to research-export rows.

Input is what `tracker.interop.selectors.PatientRecords` holds (tuples and dicts, no model
instances, no queries); output is lists of cell values in the order of `columns`. A
`PatientMask` decides the patient's id and moves every date by its offset, so intervals
within a patient stay exact.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import json
import re
from collections.abc import Iterator
from decimal import Decimal

from tracker import catalogue
from tracker.interop import columns as cols
from tracker.interop import columns_record as record_cols
from tracker.interop.pseudonym import PatientMask
from tracker.rules.anchor import response_anchor

PARAPROTEIN = re.compile(r"^(Ig[AGMDE][- ]?)?(kappa|lambda)$|^(Ig[AGMDE])$", re.IGNORECASE)
"""A paraprotein type ('IgA-lambda'): the one short text kept in a pseudonymised export."""


def number(value) -> str:
    """A Decimal or int as the shortest plain text ('1000', '2.5'); blank for None."""
    if value is None:
        return ""
    if isinstance(value, float):  # SQLite hands back DECIMAL columns as floats; repr is exact to 4 places
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def agent_codes(value) -> list[str]:
    """A JSON list as read: a list, or its JSON text when read without Django's converters."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def response_anchors(treatments: list[dict]) -> list[datetime.date]:
    """Sorted anchors, by the one definition of T0 (`rules.anchor.response_anchor`)."""
    anchors = set()
    for row in treatments:
        anchor = response_anchor(
            category=row["category"], intent=row["intent"], end_date=row["end_date"], anchor_date=row["anchor_date"]
        )
        if anchor:
            anchors.add(anchor)
    return sorted(anchors)


def days_from_anchor(anchors: list[datetime.date], day: datetime.date) -> str:
    position = bisect.bisect_right(anchors, day)
    return "" if position == 0 else str((day - anchors[position - 1]).days)


def patient_row(patient: dict, mask: PatientMask) -> list:
    birth = patient["birth_date"]
    return [
        mask.patient_id,
        birth.year if birth else "",
        "" if mask.pseudonymised else iso(birth),
        patient["sex"],
        patient["clinic__code"],
        iso(mask.date(patient["diagnosis_date"])),
        patient["light_chain"],
    ]


class Days:
    """Per patient: each date's shifted ISO text and days from the anchor, worked out once
    (a dozen values share a date)."""

    def __init__(self, mask: PatientMask, anchors: list[datetime.date]):
        self.mask, self.anchors, self.seen = mask, anchors, {}

    def __call__(self, day: datetime.date) -> tuple[str, str]:
        found = self.seen.get(day)
        if found is None:
            found = self.seen[day] = (iso(self.mask.date(day)), days_from_anchor(self.anchors, day))
        return found


def _obs(
    pid, when, domain, item, specimen, comparator, value, value_code, unit, entered, unit_entered, detail, system, code
):
    """One observations.csv row, in the order of columns.OBSERVATIONS."""
    return [pid, when[0], domain, item, specimen, comparator, value, value_code, unit, entered, unit_entered, detail,
            system, code, when[1]]  # fmt: skip


@functools.lru_cache(maxsize=256)
def lab_code(analyte: str, specimen: str) -> tuple[str, str]:
    spec = catalogue.get_spec(analyte, specimen)
    return (cols.LOINC_SYSTEM, spec.loinc) if spec.loinc else (cols.ANALYTE_SYSTEM, analyte)


def lab_rows(labs: list[dict], mask: PatientMask, days: Days) -> Iterator[list]:
    pid = mask.patient_id
    for lab in labs:
        detail = lab["detail"]
        if mask.pseudonymised and detail and not PARAPROTEIN.match(detail):
            detail = ""
        system, code = lab_code(lab["analyte"], lab["specimen"])
        comparator = "" if lab["comparator"] == "=" else lab["comparator"]
        yield _obs(
            pid, days(lab["collected_on"]), "lab", lab["analyte"], lab["specimen"], comparator,
            number(lab["value_canonical"]), lab["category"], lab["unit_canonical"],
            number(lab["value_as_entered"]), lab["unit_as_entered"], detail, system, code,
        )  # fmt: skip


def scored_rows(rows: list[dict], mask, days: Days, *, domain: str, date_field: str, scores) -> Iterator[list]:
    pid, system = mask.patient_id, cols.ITEM_SYSTEM
    codes = [(code, unit, cols.wide_name(domain, code)) for code, _label, unit, _low, _high in scores]
    for row in rows:
        when = days(row[date_field])
        for code, unit, item_code in codes:
            value = row[code]
            if value is not None:
                text = number(value)
                yield _obs(pid, when, domain, code, "", "", text, "", unit, text, unit, "", system, item_code)


def _item(mask, when, domain: str, item: str, value: str, unit: str, value_code: str = "", *, code: str = "") -> list:
    return _obs(
        mask.patient_id, when, domain, item, "", "", value, value_code, unit, value, unit, "", cols.ITEM_SYSTEM,
        code or item,
    )  # fmt: skip


def ncs_rows(results: list[dict], mask, days: Days) -> Iterator[list]:
    for row in results:
        when = days(row["study__study_date"])
        where = {key: row[key] for key in ("kind", "nerve", "side", "site")}
        for measure, _label, unit, _low, _high in cols.NCS_MEASURES:
            if row[measure] is not None:
                item = cols.ncs_item_name(**where, measure=measure)
                yield _item(mask, when, "ncs", item, number(row[measure]), unit)
        if row["absent"]:
            yield _item(mask, when, "ncs", cols.ncs_item_name(**where, measure="absent"), "1", "{boolean}")


def imaging_rows(studies: list[dict], mask, days: Days) -> Iterator[list]:
    for row in studies:
        when = days(row["study_date"])
        response, lesion = cols.imaging_items(row["modality"])
        if row["response_category"]:
            yield _item(mask, when, "imaging", response.item, "", "", row["response_category"])
        yield _item(mask, when, "imaging", lesion.item, str(int(row["new_lesion"])), "{boolean}")


def exam_rows(visits: list[dict], mask, days: Days) -> Iterator[list]:
    """The examination at each visit: MRC sum score, graded findings as codes, the findings
    present or absent as 1 or 0; a finding not examined (blank) gives no row."""
    for row in visits:
        when = days(row["visit_date"])
        for code, _label, unit, _low, _high in record_cols.EXAM_SCORES:
            if row[code] is not None:
                text = number(row[code])
                yield _item(mask, when, "visit", code, text, unit, code=cols.wide_name("visit", code))
        for code, _label in record_cols.EXAM_GRADED:
            if row[code]:
                yield _item(mask, when, "visit", code, "", "", row[code], code=cols.wide_name("visit", code))
        for code, _label in record_cols.EXAM_PRESENT:
            if row[code] is not None:
                text = str(int(row[code]))
                yield _item(mask, when, "visit", code, text, "{boolean}", code=cols.wide_name("visit", code))


def marrow_rows(biopsies: list[dict], mask, days: Days) -> Iterator[list]:
    cells, clonality = record_cols.MARROW_PLASMA_CELLS, record_cols.MARROW_CLONALITY
    for row in biopsies:
        when = days(row["biopsy_date"])
        if row["plasma_cells_pct"] is not None:
            yield _item(mask, when, "marrow", cells.item, number(row["plasma_cells_pct"]), cells.unit)
        if row["clonality"]:
            yield _item(mask, when, "marrow", clonality.item, "", "", row["clonality"])


def patient_days(records, mask: PatientMask) -> Days:
    """The patient's dates as exported: shifted by the mask, counted from the response anchors."""
    return Days(mask, response_anchors(records.treatments))


def observation_rows(records, mask: PatientMask, days: Days | None = None) -> Iterator[list]:
    """Every recorded value of the patient, one row each (records are final only)."""
    days = days or patient_days(records, mask)
    yield from lab_rows(records.labs, mask, days)
    yield from scored_rows(
        records.visits, mask, days, domain="visit", date_field="visit_date", scores=cols.VISIT_SCORES
    )
    yield from scored_rows(
        records.symptoms, mask, days, domain="symptom", date_field="reported_on", scores=cols.SYMPTOM_SCORES
    )
    yield from ncs_rows(records.ncs, mask, days)
    yield from imaging_rows(records.imaging, mask, days)
    yield from exam_rows(records.visits, mask, days)
    yield from marrow_rows(records.tables.get("marrow", ()), mask, days)


def treatment_rows(treatments: list[dict], mask: PatientMask) -> Iterator[list]:
    for row in treatments:
        anchor = response_anchor(
            category=row["category"], intent=row["intent"], end_date=row["end_date"], anchor_date=row["anchor_date"]
        )
        yield [
            mask.patient_id,
            row["category"],
            "" if mask.pseudonymised else row["regimen"],
            ";".join(agent_codes(row["agents"])),
            row["intent"],
            number(row["line"]),
            iso(mask.date(row["start_date"])),
            iso(mask.date(row["end_date"])),
            iso(mask.date(anchor)),
            number(row["total_dose_gy"]),
            number(row["fractions"]),
            number(row["melphalan_mg_m2"]),
            number(row["cycles_given"]),
        ]


def flag_rows(flags: list[dict], mask: PatientMask) -> Iterator[list]:
    for row in flags:
        yield [
            mask.patient_id,
            row["rule"],
            row["rule_version"],
            row["severity"],
            row["domain"],
            iso(mask.date(row["raised_on"])),
            row["status"],
            "" if mask.pseudonymised else row["explanation"],
        ]


OBS = {column.name: index for index, column in enumerate(cols.OBSERVATIONS)}


def wide_rows(observations: list[list], wide_columns: list[str], mask: PatientMask) -> Iterator[list]:
    """One row per date of the patient; a lab is keyed by analyte and specimen. When two labs
    report the same item on one day, the later row wins here, and a comparator ('<5') is not
    shown: the long file keeps both."""
    position = {name: index for index, name in enumerate(wide_columns)}
    index_of: dict[tuple, int | None] = {}
    domain_at, item_at, specimen_at = OBS["domain"], OBS["item"], OBS["specimen"]
    value_at, code_at, date_at = OBS["value"], OBS["value_code"], OBS["date"]
    width = len(wide_columns)
    by_date: dict[str, list] = {}
    for obs in observations:
        key = (obs[domain_at], obs[item_at], obs[specimen_at])
        index = index_of.get(key, -1)
        if index == -1:
            index = index_of[key] = position.get(cols.wide_name(*key))
        if index is None:
            continue
        row = by_date.get(obs[date_at])
        if row is None:
            row = by_date[obs[date_at]] = [""] * width
        row[index] = obs[value_at] or obs[code_at]
    for day in sorted(by_date):
        yield [mask.patient_id, day, *by_date[day]]
