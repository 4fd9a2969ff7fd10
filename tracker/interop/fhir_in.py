"""Pure mapper from a FHIR R4 Bundle to rows of the CSV import kinds.

Each resource is parsed and validated with its fhir.resources R4B model, then turned into the
cells a clinic's CSV would hold (`import_csv` columns), remembering for every cell which entry
and which FHIR field it came from. The CSV import engine then checks and saves the rows, and
its `row N, column C` problems are reported back as `entry I (Type/id), field F`.
"""

from __future__ import annotations

import json

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from tracker import catalogue
from tracker.interop import columns as cols
from tracker.interop import fhir_codes as codes
from tracker.interop import fhir_in_record as whole
from tracker.interop import fhir_in_records as records
from tracker.interop.fhir_in_base import (  # noqa: F401  (KIND_ORDER and the shapes are re-exported)
    KIND_ORDER,
    BundleProblem,
    EntryRef,
    ParsedBundle,
    SourcedRow,
    day,
    extension_values,
    first_extension,
    quantity_cells,
)
from tracker.models.ncs import Nerve, Side, Site

MODELS = {
    "Patient": Patient,
    "Observation": Observation,
    "QuestionnaireResponse": QuestionnaireResponse,
    "Questionnaire": Questionnaire,
    "Procedure": Procedure,
    "MedicationStatement": MedicationStatement,
    "AdverseEvent": AdverseEvent,
    "Condition": Condition,
}


def parse_bundle(data: bytes) -> ParsedBundle:
    parsed = ParsedBundle()
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        parsed.problems.append(BundleProblem(None, "", "the file is not UTF-8 text; a FHIR JSON file is UTF-8"))
        return parsed
    except json.JSONDecodeError as exc:
        message = f"the file is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        parsed.problems.append(BundleProblem(None, "", message))
        return parsed
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        found = document.get("resourceType") if isinstance(document, dict) else type(document).__name__
        parsed.problems.append(BundleProblem(None, "resourceType", f"expected a FHIR Bundle, found {found!r}"))
        return parsed
    entries = document.get("entry") or []
    if not isinstance(entries, list):
        parsed.problems.append(BundleProblem(None, "entry", "must be a list of entries"))
        return parsed
    resources = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType", "") if isinstance(resource, dict) else ""
        ref = EntryRef(index, kind or "?", str(resource.get("id", "")) if isinstance(resource, dict) else "")
        if kind not in MODELS:
            supported = ", ".join(MODELS)
            parsed.problems.append(
                BundleProblem(ref, "resourceType", f"unsupported resource type {kind!r}; supported: {supported}")
            )
            continue
        try:
            resources.append((ref, MODELS[kind].model_validate(resource), entry.get("fullUrl") or ""))
        except ValidationError as exc:
            for error in exc.errors():
                path = ".".join(str(part) for part in error["loc"])
                parsed.problems.append(BundleProblem(ref, path, error["msg"]))
    patients = _patients(resources, parsed)
    mappers = {
        "Observation": _observation,
        "QuestionnaireResponse": records.questionnaire_response,
        "Procedure": records.treatment,
        "MedicationStatement": records.treatment,
        "AdverseEvent": whole.adverse_event,
        "Condition": whole.condition,
    }
    for ref, resource, _url in resources:
        if ref.type in mappers:
            mrn = _subject_mrn(resource, ref, patients, parsed)
            if mrn is not None:
                mappers[ref.type](parsed, ref, resource, mrn)
    return parsed


def _patients(resources, parsed: ParsedBundle) -> dict[str, str]:
    """Patient rows, and the map from every way the Bundle may refer to a patient to its MRN."""
    known: dict[str, str] = {}
    for ref, resource, url in resources:
        if ref.type != "Patient":
            continue
        identifiers = [i for i in resource.identifier or [] if i.value]
        ours = [i for i in identifiers if i.system == codes.MRN_SYSTEM] or identifiers
        if not ours:
            parsed.problems.append(BundleProblem(ref, "identifier", "a Patient needs its MRN as an identifier"))
            continue
        mrn = ours[0].value
        for alias in (f"Patient/{resource.id}", url):
            if alias and resource.id:
                known[alias] = mrn
        row = SourcedRow(ref)
        row.put("mrn", mrn, ref, "identifier")
        name = (resource.name or [None])[0]
        row.put("given_name", " ".join(name.given or []) if name else "", ref, "name.given")
        row.put("family_name", name.family if name else "", ref, "name.family")
        row.put("birth_date", day(resource.birthDate), ref, "birthDate")
        row.put("sex", resource.gender or "", ref, "gender")
        organisation = resource.managingOrganization
        if organisation and organisation.identifier and organisation.identifier.system == codes.CLINIC_SYSTEM:
            row.put("clinic", organisation.identifier.value, ref, "managingOrganization.identifier")
        diagnosis = first_extension(resource, "diagnosis-date")
        if diagnosis:
            row.put("diagnosis_date", day(diagnosis), ref, "extension[diagnosis-date]")
        light_chain = first_extension(resource, "light-chain")
        if light_chain:
            row.put("light_chain", light_chain, ref, "extension[light-chain]")
        parsed.rows["patients"].append(row)
        whole.deceased(parsed, ref, resource, mrn)
    return known


def _subject_mrn(resource, ref: EntryRef, patients: dict[str, str], parsed: ParsedBundle) -> str | None:
    subject = resource.subject
    if subject is not None and subject.reference and subject.reference in patients:
        return patients[subject.reference]
    if subject is not None and subject.identifier and subject.identifier.value:
        return subject.identifier.value
    text = subject.reference if subject is not None and subject.reference else "nothing"
    message = f"refers to {text}: name a Patient of this Bundle or give the MRN as subject.identifier"
    parsed.problems.append(BundleProblem(ref, "subject", message))
    return None


def _observation(parsed: ParsedBundle, ref: EntryRef, resource, mrn: str) -> None:
    codings = (resource.code.coding if resource.code else None) or []
    date = day(resource.effectiveDateTime)
    for coding in codings:
        analyte = codes.analyte_from_coding(coding.system or "", coding.code or "")
        if analyte:
            return _lab(parsed, ref, resource, mrn, date, *analyte)
        if coding.system == cols.ITEM_SYSTEM and coding.code:
            return _item(parsed, ref, resource, mrn, date, coding.code)
        if coding.system == codes.EVENT_SYSTEM and coding.code:
            return whole.event_observation(parsed, ref, resource, mrn, date)
    shown = ", ".join(f"{c.system}|{c.code}" for c in codings) or "none"
    loinc = ", ".join(sorted(codes.LOINC_TO_ANALYTE))
    message = f"unknown code ({shown}); accepted: the LOINC codes {loinc}, or the codes of {cols.ANALYTE_SYSTEM}"
    parsed.problems.append(BundleProblem(ref, "code.coding", message))


def _lab_units(analyte: str, specimen: str) -> tuple[str, ...]:
    try:
        spec = catalogue.get_spec(analyte, specimen)
    except catalogue.CatalogueError:
        return tuple(codes.UCUM)  # the import names the specimen problem itself
    return tuple(spec.units) or tuple(codes.UCUM)


def _lab(parsed, ref, resource, mrn, date, analyte, specimen) -> None:
    row = SourcedRow(ref)
    row.put("mrn", mrn, ref, "subject")
    row.put("collected_on", date, ref, "effectiveDateTime")
    row.put("analyte", analyte, ref, "code.coding")
    for contained in resource.contained or []:
        reference = resource.specimen.reference if resource.specimen else ""
        if contained.get_resource_type() == "Specimen" and reference == f"#{contained.id}" and contained.type:
            specimen = next(
                (c.code for c in contained.type.coding or [] if c.system == codes.SPECIMEN_SYSTEM), specimen
            )
    row.put("specimen", specimen, ref, "specimen")
    units = _lab_units(analyte, specimen)
    if resource.valueQuantity is not None:
        quantity_cells(
            parsed, row, resource.valueQuantity, ref, "valueQuantity", "value", unit_column="unit", expect=units
        )
    elif resource.valueCodeableConcept is not None:
        code = next((c.code for c in resource.valueCodeableConcept.coding or [] if c.system == codes.IFE_SYSTEM), "")
        row.put("value", code, ref, "valueCodeableConcept")
    else:
        row.put("value", "", ref, "valueQuantity")
    for bound in ("low", "high"):
        quantity = getattr(resource.referenceRange[0], bound) if resource.referenceRange else None
        if quantity is not None:
            quantity_cells(parsed, row, quantity, ref, f"referenceRange[0].{bound}", f"ref_{bound}", expect=units)
    if resource.performer and resource.performer[0].display:
        row.put("lab", resource.performer[0].display, ref, "performer[0].display")
    if resource.method and resource.method.text:
        row.put("assay", resource.method.text, ref, "method.text")
    detail = first_extension(resource, "paraprotein-type")
    if detail:
        row.put("detail", detail, ref, "extension[paraprotein-type]")
    confounders = extension_values(resource, "confounder")
    if confounders:
        row.put("confounders", ";".join(confounders), ref, "extension[confounder]")
    parsed.rows["labs"].append(row)


def ncs_parts(code: str) -> dict | None:
    """'motor_median_left_wrist_cmap_amp_mv' -> kind, nerve, side, site, measure."""
    for kind in ("motor", "sensory"):
        for measure, *_rest in (*cols.NCS_MEASURES, cols.NCS_ABSENT):
            prefix, suffix = f"{kind}_", f"_{measure}"
            if code.startswith(prefix) and code.endswith(suffix):
                middle = code[len(prefix) : -len(suffix)]
                for side in Side.values:
                    nerve, sep, site = middle.partition(f"_{side}_")
                    site = "" if site == "distal" else site
                    if sep and nerve in Nerve.values and site in Site.values:
                        return {"kind": kind, "nerve": nerve, "side": side, "site": site, "measure": measure}
    return None


def _item(parsed, ref, resource, mrn, date, code: str) -> None:
    quantity = resource.valueQuantity
    scored = (
        ("visit", "visits", "visit_date", cols.VISIT_SCORES),
        ("symptom", "symptoms", "reported_on", cols.SYMPTOM_SCORES),
    )
    for domain, kind, date_column, scores in scored:
        units = {name: unit for name, _label, unit, _low, _high in scores}
        column = code[len(domain) + 1 :]
        if code.startswith(f"{domain}_") and column in units and quantity is not None:
            row = parsed.grouped(kind, (mrn, date), ref)
            row.put("mrn", mrn, ref, "subject")
            row.put(date_column, date, ref, "effectiveDateTime")
            return quantity_cells(parsed, row, quantity, ref, "valueQuantity", column, expect=(units[column],))
    ncs = ncs_parts(code)
    if ncs and (quantity is not None or (ncs["measure"] == "absent" and resource.valueBoolean is not None)):
        row = parsed.grouped("ncs", (mrn, date, ncs["nerve"], ncs["side"], ncs["kind"], ncs["site"]), ref)
        row.put("mrn", mrn, ref, "subject")
        row.put("study_date", date, ref, "effectiveDateTime")
        for column in ("nerve", "side", "kind", "site"):
            row.put(column, ncs[column], ref, "code.coding")
        if ncs["measure"] == "absent":
            return row.put("absent", str(resource.valueBoolean).lower(), ref, "valueBoolean")
        expect = (cols.NCS_UNITS[ncs["measure"]],)
        return quantity_cells(parsed, row, quantity, ref, "valueQuantity", ncs["measure"], expect=expect)
    for modality in ("pet_ct", "ct", "mri", "xray"):
        if code in (f"{modality}_response", f"{modality}_new_lesion"):
            row = parsed.grouped("imaging", (mrn, date, modality), ref)
            row.put("mrn", mrn, ref, "subject")
            row.put("study_date", date, ref, "effectiveDateTime")
            row.put("modality", modality, ref, "code.coding")
            if code.endswith("_response") and resource.valueCodeableConcept is not None:
                value = next((c.code for c in resource.valueCodeableConcept.coding or []), "")
                row.put("response_category", value, ref, "valueCodeableConcept")
            elif resource.valueBoolean is not None:
                row.put("new_lesion", str(resource.valueBoolean).lower(), ref, "valueBoolean")
            return None
    if whole.observation_item(parsed, ref, resource, mrn, date, code):
        return None
    parsed.problems.append(BundleProblem(ref, "code.coding", f"unknown item {code!r} of {cols.ITEM_SYSTEM}"))
