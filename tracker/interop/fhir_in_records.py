"""FHIR import mappers for symptom reports (QuestionnaireResponse) and treatments
(Procedure, MedicationStatement): resource -> cells of the `symptoms` and `treatments` CSV kinds."""

from __future__ import annotations

from tracker.interop import fhir_codes as codes
from tracker.interop.fhir_in_base import (
    BundleProblem,
    SourcedRow,
    day,
    extension_values,
    first_extension,
    quantity_cells,
)
from tracker.models.symptoms import SYMPTOM_CODES


def questionnaire_response(parsed, ref, resource, mrn) -> None:
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("reported_on", day(resource.authored), ref, "authored")
    for position, item in enumerate(resource.item or []):
        path = f"item[{position}]"
        answer = (item.answer or [None])[0]
        if item.linkId not in (*SYMPTOM_CODES, "weight_kg", "other_symptoms"):
            parsed.problems.append(BundleProblem(ref, f"{path}.linkId", f"unknown checklist item {item.linkId!r}"))
        elif answer is None:
            continue
        elif item.linkId == "weight_kg" and answer.valueQuantity is not None:
            path = f"{path}.answer[0].valueQuantity"
            quantity_cells(parsed, row, answer.valueQuantity, ref, path, "weight_kg", expect=("kg",))
        elif item.linkId == "other_symptoms":
            row.put("other_symptoms", answer.valueString or "", ref, f"{path}.answer[0].valueString")
        else:
            row.put(item.linkId, answer.valueInteger, ref, f"{path}.answer[0].valueInteger")
    parsed.rows["symptoms"].append(row)


def treatment(parsed, ref, resource, mrn) -> None:
    is_procedure = ref.type == "Procedure"
    category = resource.code if is_procedure else resource.category
    period = resource.performedPeriod if is_procedure else resource.effectivePeriod
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    code = next(
        (c.code for c in (category.coding if category else None) or [] if c.system == codes.TREATMENT_CATEGORY_SYSTEM),
        "",
    )
    row.put("category", code, ref, "code" if is_procedure else "category")
    row.put(
        "start_date",
        day(period.start) if period else "",
        ref,
        "performedPeriod.start" if is_procedure else "effectivePeriod.start",
    )
    if period and period.end:
        row.put("end_date", day(period.end), ref, "performedPeriod.end" if is_procedure else "effectivePeriod.end")
    if is_procedure:
        regimen, agents = (category.text if category else "") or "", extension_values(resource, "agent")
    else:
        medication = resource.medicationCodeableConcept
        label = next((c.display for c in (category.coding if category else None) or []), "")
        regimen = medication.text if medication and medication.text != label else ""
        agents = [c.code for c in (medication.coding if medication else None) or [] if c.system == codes.AGENT_SYSTEM]
    if regimen:
        row.put("regimen", regimen, ref, "code.text" if is_procedure else "medicationCodeableConcept.text")
    if agents:
        row.put("agents", ";".join(agents), ref, "medicationCodeableConcept.coding")
    for name, column in (
        ("intent", "intent"),
        ("line", "line"),
        ("response-anchor", "anchor_date"),
        ("fractions", "fractions"),
    ):
        value = first_extension(resource, name)
        if value is not None:
            row.put(column, day(value) if column == "anchor_date" else value, ref, f"extension[{name}]")
    for name, column, unit in (("total-dose", "total_dose_gy", "Gy"), ("melphalan-dose", "melphalan_mg_m2", "mg/m2")):
        value = first_extension(resource, name)
        if value is not None:
            path = f"extension[{name}].valueQuantity"
            quantity_cells(parsed, row, value, ref, path, column, expect=(unit,))
    notes = [note.text for note in resource.note or [] if note.text]
    if notes:
        row.put("notes", "\n".join(notes), ref, "note")
    parsed.rows["treatments"].append(row)
