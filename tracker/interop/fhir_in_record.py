"""FHIR import mappers for the rest of the follow-up record, the reverse of `fhir_out_record`:
resource -> cells of the `marrow`, `events`, `lesions` and `visits` (examination) CSV kinds.

The cells then go through the CSV import engine like every other kind, so the bounds, codes
and messages are the CSV import's, reported as `entry I (Type/id), field PATH`.
"""

from __future__ import annotations

from tracker.interop import columns as cols
from tracker.interop import columns_record as record_cols
from tracker.interop import fhir_codes as codes
from tracker.interop.fhir_in_base import BundleProblem, SourcedRow, day, first_extension, quantity_cells
from tracker.interop.fhir_out_record import LESION_CODE, LESION_PARTS, MARROW_CODE


def _code(concept, system: str) -> str:
    return next((c.code or "" for c in (concept.coding if concept else None) or [] if c.system == system), "")


def _notes(resource) -> str:
    return "\n".join(note.text for note in resource.note or [] if note.text)


def _event_cells(row: SourcedRow, ref, resource, *, resolved: bool = True) -> None:
    """The event fields carried as extensions (grade, resolution, attribution, cause, note)."""
    for name, column in (("ctcae-grade", "grade"), ("treatment-related", "treatment_related"), ("cause", "cause")):
        value = first_extension(resource, name)
        if value is not None:
            row.put(column, str(value).lower() if isinstance(value, bool) else value, ref, f"extension[{name}]")
    resolved_on = first_extension(resource, "resolved-on") if resolved else None
    if resolved_on is not None:
        row.put("resolved_on", day(resolved_on), ref, "extension[resolved-on]")
    note = first_extension(resource, "note")
    if note is not None:
        row.put("notes", note, ref, "extension[note]")


def _event_row(parsed, ref, resource, mrn: str, concept, path: str) -> SourcedRow:
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    code = _code(concept, codes.EVENT_SYSTEM)
    if not code:
        message = f"expected a coding of {codes.EVENT_SYSTEM} naming the event"
        parsed.problems.append(BundleProblem(ref, f"{path}.coding", message))
    row.put("event", code, ref, f"{path}.coding")
    if concept is not None and concept.text:
        row.put("ctcae_term", concept.text, ref, f"{path}.text")
    return row


def adverse_event(parsed, ref, resource, mrn: str) -> None:
    row = _event_row(parsed, ref, resource, mrn, resource.event, "event")
    row.put("onset_date", day(resource.date), ref, "date")
    _event_cells(row, ref, resource)
    parsed.rows["events"].append(row)


def condition(parsed, ref, resource, mrn: str) -> None:
    """A confirmed relapse or progression."""
    row = _event_row(parsed, ref, resource, mrn, resource.code, "code")
    row.put("onset_date", day(resource.onsetDateTime), ref, "onsetDateTime")
    if resource.abatementDateTime:
        row.put("resolved_on", day(resource.abatementDateTime), ref, "abatementDateTime")
    _event_cells(row, ref, resource, resolved=False)
    if notes := _notes(resource):
        row.put("notes", notes, ref, "note")
    parsed.rows["events"].append(row)


def _death_row(parsed, ref, mrn: str, date: str) -> SourcedRow:
    """One events row per death, shared by the Patient's deceasedDateTime and the Observation."""
    row = parsed.grouped("events", (mrn, "death", date), ref)
    row.put("mrn", mrn, ref, "subject")
    return row


def deceased(parsed, ref, patient, mrn: str) -> None:
    """Patient.deceasedDateTime records a death on that date (deceasedBoolean alone is not read:
    a death is recorded with its date)."""
    if patient.deceasedDateTime:
        date = day(patient.deceasedDateTime)
        row = _death_row(parsed, ref, mrn, date)
        row.put("event", "death", ref, "deceasedDateTime")
        row.put("onset_date", date, ref, "deceasedDateTime")


def event_observation(parsed, ref, resource, mrn: str, date: str) -> None:
    """An Observation coded as an event: a death, with its cause as the value."""
    code = _code(resource.code, codes.EVENT_SYSTEM)
    row = _death_row(parsed, ref, mrn, date) if code == "death" else parsed.grouped("events", (mrn, code, date), ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("event", code, ref, "code.coding")
    row.put("onset_date", date, ref, "effectiveDateTime")
    if resource.code.text:
        row.put("ctcae_term", resource.code.text, ref, "code.text")
    if resource.valueString:
        row.put("cause", resource.valueString, ref, "valueString")
    _event_cells(row, ref, resource)
    if notes := _notes(resource):
        row.put("notes", notes, ref, "note")


def _components(parsed, ref, resource, row: SourcedRow, columns: dict[str, tuple[str, str, tuple]]) -> None:
    """Each component into its column: coded (value system) or a quantity (allowed units)."""
    for index, part in enumerate(resource.component or []):
        path = f"component[{index}]"
        code = _code(part.code, cols.ITEM_SYSTEM)
        if code not in columns:
            allowed = ", ".join(columns)
            parsed.problems.append(
                BundleProblem(ref, f"{path}.code", f"unknown component {code!r}; allowed: {allowed}")
            )
            continue
        column, system, units = columns[code]
        if units and part.valueQuantity is not None:
            quantity_cells(parsed, row, part.valueQuantity, ref, f"{path}.valueQuantity", column, expect=units)
        elif system and part.valueCodeableConcept is not None:
            row.put(column, _code(part.valueCodeableConcept, system), ref, f"{path}.valueCodeableConcept")
        else:
            expected = "valueQuantity" if units else "valueCodeableConcept"
            parsed.problems.append(BundleProblem(ref, path, f"{code} needs a {expected}"))


def marrow(parsed, ref, resource, mrn: str, date: str) -> None:
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("biopsy_date", date, ref, "effectiveDateTime")
    if resource.method and resource.method.text:
        row.put("method", resource.method.text, ref, "method.text")
    if notes := _notes(resource):
        row.put("notes", notes, ref, "note")
    columns = {
        record_cols.MARROW_PLASMA_CELLS.item: ("plasma_cells_pct", "", ("%",)),
        record_cols.MARROW_CLONALITY.item: ("clonality", codes.CLONALITY_SYSTEM, ()),
    }
    _components(parsed, ref, resource, row, columns)
    parsed.rows["marrow"].append(row)


def lesion(parsed, ref, resource, mrn: str, date: str) -> None:
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("study_date", date, ref, "effectiveDateTime")
    row.put("modality", _code(resource.method, codes.MODALITY_SYSTEM), ref, "method.coding")
    row.put("site", resource.bodySite.text if resource.bodySite else "", ref, "bodySite.text")
    columns = {
        LESION_PARTS["appearance"][0]: ("appearance", codes.LESION_APPEARANCE_SYSTEM, ()),
        LESION_PARTS["size_mm"][0]: ("size_mm", "", ("mm",)),
        LESION_PARTS["suv_max"][0]: ("suv_max", "", ("{SUV}",)),
        LESION_PARTS["lesion_status"][0]: ("status", codes.LESION_STATUS_SYSTEM, ()),
    }
    _components(parsed, ref, resource, row, columns)
    parsed.rows["lesions"].append(row)


EXAM_ITEMS = {cols.wide_name("visit", item.item): item for item in record_cols.exam_items()}


def exam(parsed, ref, resource, mrn: str, date: str, code: str) -> None:
    item = EXAM_ITEMS[code]
    row = parsed.grouped("visits", (mrn, date), ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("visit_date", date, ref, "effectiveDateTime")
    if item.codes and resource.valueCodeableConcept is not None:
        value = _code(resource.valueCodeableConcept, codes.EXAM_FINDING_SYSTEM)
        row.put(item.item, value, ref, "valueCodeableConcept")
    elif item.unit == "{boolean}" and resource.valueBoolean is not None:
        row.put(item.item, str(resource.valueBoolean).lower(), ref, "valueBoolean")
    elif not item.codes and item.unit != "{boolean}" and resource.valueQuantity is not None:
        quantity_cells(parsed, row, resource.valueQuantity, ref, "valueQuantity", item.item, expect=(item.unit,))
    else:
        expected = (
            "valueCodeableConcept" if item.codes else "valueBoolean" if item.unit == "{boolean}" else "valueQuantity"
        )
        parsed.problems.append(BundleProblem(ref, "value", f"{code} needs a {expected}"))


def observation_item(parsed, ref, resource, mrn: str, date: str, code: str) -> bool:
    """Map an Observation coded in the item system if it belongs to the whole record."""
    if code == MARROW_CODE[0]:
        marrow(parsed, ref, resource, mrn, date)
    elif code == LESION_CODE[0]:
        lesion(parsed, ref, resource, mrn, date)
    elif code in EXAM_ITEMS:
        exam(parsed, ref, resource, mrn, date, code)
    else:
        return False
    return True
