"""Pure mappers from one patient's plain records to research-export rows.

Input is what `tracker.interop.selectors.PatientRecords` holds (tuples and dicts, no model
instances, no queries); output is lists of cell values in the order of `columns`. A
`PatientMask` decides the patient's id and moves every date by its offset, so intervals
within a patient stay exact.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

from tracker import catalogue
from tracker.interop import columns as cols
from tracker.interop.pseudonym import PatientMask
from tracker.models.treatments import Treatment

PARAPROTEIN = re.compile(r"^(Ig[AGMDE][- ]?)?(kappa|lambda)$|^(Ig[AGMDE])$", re.IGNORECASE)
"""A paraprotein type ('IgA-lambda'): the one short text kept in a pseudonymised export."""


def number(value) -> str:
    """A Decimal or int as the shortest plain text ('1000', '2.5'); blank for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def response_anchors(treatments: list[dict]) -> list[datetime.date]:
    """Sorted anchors, by the model's own definition (`Treatment.response_anchor`)."""
    anchors = set()
    for row in treatments:
        anchor = Treatment(
            category=row["category"], intent=row["intent"], end_date=row["end_date"], anchor_date=row["anchor_date"]
        ).response_anchor
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


def _obs(mask, day, anchors, domain, item, *, value="", unit="", **extra) -> list:
    return [
        mask.patient_id,
        iso(mask.date(day)),
        domain,
        item,
        extra.get("specimen", ""),
        extra.get("comparator", ""),
        value,
        extra.get("value_code", ""),
        unit,
        extra.get("value_as_entered", value),
        extra.get("unit_as_entered", unit),
        extra.get("detail", ""),
        extra.get("code_system", cols.ITEM_SYSTEM),
        extra.get("code", item),
        days_from_anchor(anchors, day),
    ]


def lab_rows(labs: list[dict], mask: PatientMask, anchors) -> Iterator[list]:
    for lab in labs:
        spec = catalogue.get_spec(lab["analyte"], lab["specimen"])
        detail = lab["detail"]
        if mask.pseudonymised and detail and not PARAPROTEIN.match(detail):
            detail = ""
        yield _obs(
            mask,
            lab["collected_on"],
            anchors,
            "lab",
            lab["analyte"],
            value=number(lab["value_canonical"]),
            unit=lab["unit_canonical"],
            specimen=lab["specimen"],
            comparator="" if lab["comparator"] == "=" else lab["comparator"],
            value_code=lab["category"],
            value_as_entered=number(lab["value_as_entered"]),
            unit_as_entered=lab["unit_as_entered"],
            detail=detail,
            code_system=cols.LOINC_SYSTEM if spec.loinc else cols.ANALYTE_SYSTEM,
            code=spec.loinc or lab["analyte"],
        )


def scored_rows(rows: list[dict], mask, anchors, *, domain: str, date_field: str, scores) -> Iterator[list]:
    for row in rows:
        for code, _label, unit, _low, _high in scores:
            if row[code] is not None:
                yield _obs(mask, row[date_field], anchors, domain, code, value=number(row[code]), unit=unit)


def ncs_rows(results: list[dict], mask, anchors) -> Iterator[list]:
    for row in results:
        for measure, _label, unit, _low, _high in cols.NCS_MEASURES:
            if row[measure] is None:
                continue
            item = cols.ncs_item_name(
                kind=row["kind"], nerve=row["nerve"], side=row["side"], site=row["site"], measure=measure
            )
            yield _obs(mask, row["study__study_date"], anchors, "ncs", item, value=number(row[measure]), unit=unit)
        if row["absent"]:
            where = {key: row[key] for key in ("kind", "nerve", "side", "site")}
            item = cols.ncs_item_name(**where, measure="absent")
            yield _obs(mask, row["study__study_date"], anchors, "ncs", item, value="1", unit="{boolean}")


def imaging_rows(studies: list[dict], mask, anchors) -> Iterator[list]:
    for row in studies:
        response, lesion = cols.imaging_items(row["modality"])
        if row["response_category"]:
            yield _obs(mask, row["study_date"], anchors, "imaging", response.item, value_code=row["response_category"])
        yield _obs(
            mask,
            row["study_date"],
            anchors,
            "imaging",
            lesion.item,
            value=str(int(row["new_lesion"])),
            unit="{boolean}",
        )


def observation_rows(records, mask: PatientMask) -> Iterator[list]:
    """Every recorded value of the patient, one row each (records are final only)."""
    anchors = response_anchors(records.treatments)
    yield from lab_rows(records.labs, mask, anchors)
    yield from scored_rows(
        records.visits, mask, anchors, domain="visit", date_field="visit_date", scores=cols.VISIT_SCORES
    )
    yield from scored_rows(
        records.symptoms, mask, anchors, domain="symptom", date_field="reported_on", scores=cols.SYMPTOM_SCORES
    )
    yield from ncs_rows(records.ncs, mask, anchors)
    yield from imaging_rows(records.imaging, mask, anchors)


def treatment_rows(treatments: list[dict], mask: PatientMask) -> Iterator[list]:
    for row in treatments:
        anchor = Treatment(
            category=row["category"], intent=row["intent"], end_date=row["end_date"], anchor_date=row["anchor_date"]
        ).response_anchor
        yield [
            mask.patient_id,
            row["category"],
            "" if mask.pseudonymised else row["regimen"],
            ";".join(row["agents"] or []),
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
    by_date: dict[str, list] = {}
    for obs in observations:
        index = position.get(cols.wide_name(obs[OBS["domain"]], obs[OBS["item"]], obs[OBS["specimen"]]))
        if index is None:
            continue
        row = by_date.setdefault(obs[OBS["date"]], [""] * len(wide_columns))
        row[index] = obs[OBS["value"]] or obs[OBS["value_code"]]
    for day in sorted(by_date):
        yield [mask.patient_id, day, *by_date[day]]
