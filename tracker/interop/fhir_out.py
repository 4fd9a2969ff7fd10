"""Pure mappers from one patient's plain records to FHIR R4 resources (fhir.resources R4B
models, which read and write R4 JSON for every resource used here).

Resource ids are derived from the record's natural key (never a database id), so exporting
the same record from two databases gives the same Bundle.
"""

from __future__ import annotations

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation, ObservationReferenceRange
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.specimen import Specimen

from tracker import catalogue
from tracker.interop import columns as cols
from tracker.interop import fhir_codes as codes
from tracker.interop import fhir_out_record as record
from tracker.interop.fhir_out_base import (  # noqa: F401  (the building blocks are re-exported)
    category_of,
    concept,
    ext,
    item_observation,
    quantity,
    resource_id,
    subject,
)
from tracker.models.symptoms import SYMPTOM_ITEMS
from tracker.models.treatments import TreatmentCategory

PROCEDURE_CATEGORIES = (TreatmentCategory.RADIOTHERAPY, TreatmentCategory.ASCT)


def patient_resource(patient: dict, clinic_name: str = "", *, deceased_on=None) -> Patient:
    extensions = [ext("light-chain", valueCode=patient["light_chain"])]
    if patient["diagnosis_date"]:
        extensions.append(ext("diagnosis-date", valueDate=patient["diagnosis_date"]))
    return Patient(
        id=resource_id("patient", patient["mrn"]),
        identifier=[Identifier(system=codes.MRN_SYSTEM, value=patient["mrn"])],
        name=[HumanName(family=patient["family_name"], given=[patient["given_name"]])],
        gender=patient["sex"],
        birthDate=patient["birth_date"],
        managingOrganization=Reference(
            identifier=Identifier(system=codes.CLINIC_SYSTEM, value=patient["clinic__code"]),
            display=clinic_name or patient["clinic__code"],
        ),
        extension=extensions,
        deceasedDateTime=deceased_on,
    )


def lab_observation(patient: dict, lab: dict) -> Observation:
    spec = catalogue.get_spec(lab["analyte"], lab["specimen"])
    system, code, display = codes.analyte_coding(lab["analyte"], lab["specimen"])
    extensions = [ext("confounder", valueCode=item) for item in lab["confounders"] or []]
    if lab["detail"]:
        extensions.append(ext("paraprotein-type", valueString=lab["detail"]))
    value = {}
    if spec.categorical:
        value["valueCodeableConcept"] = concept(codes.IFE_SYSTEM, lab["category"])
    else:
        comparator = "" if lab["comparator"] == "=" else lab["comparator"]
        value["valueQuantity"] = quantity(lab["value_canonical"], lab["unit_canonical"], comparator)
    ranges = []
    if lab["ref_low"] is not None or lab["ref_high"] is not None:
        ranges.append(
            ObservationReferenceRange(
                low=quantity(lab["ref_low"], lab["unit_canonical"]) if lab["ref_low"] is not None else None,
                high=quantity(lab["ref_high"], lab["unit_canonical"]) if lab["ref_high"] is not None else None,
            )
        )
    specimen = Specimen(
        id="specimen", type=concept(codes.SPECIMEN_SYSTEM, lab["specimen"], dict(catalogue.SPECIMENS)[lab["specimen"]])
    )
    key = (patient["mrn"], lab["analyte"], lab["specimen"], lab["lab"], lab["collected_on"])
    return Observation(
        id=resource_id("lab", *key),
        contained=[specimen],
        extension=extensions or None,
        status="final",
        category=category_of("laboratory"),
        code=CodeableConcept(coding=[Coding(system=system, code=code, display=display)], text=spec.label),
        subject=subject(patient),
        effectiveDateTime=lab["collected_on"],
        performer=[Reference(display=lab["lab"])] if lab["lab"] else None,
        method=CodeableConcept(text=lab["assay"]) if lab["assay"] else None,
        specimen=Reference(reference="#specimen"),
        referenceRange=ranges or None,
        **value,
    )


def visit_observations(patient: dict, visit: dict) -> list[Observation]:
    return [
        item_observation(
            patient,
            visit["visit_date"],
            cols.visit_item(code),
            category="exam",
            valueQuantity=quantity(visit[code], unit),
        )
        for code, _label, unit, _low, _high in cols.VISIT_SCORES
        if visit[code] is not None
    ]


def ncs_observations(patient: dict, row: dict) -> list[Observation]:
    found = []
    for measure, _label, unit, _low, _high in cols.NCS_MEASURES:
        if row[measure] is None:
            continue
        item = cols.ncs_item(kind=row["kind"], nerve=row["nerve"], side=row["side"], site=row["site"], measure=measure)
        found.append(
            item_observation(
                patient, row["study__study_date"], item, category="exam", valueQuantity=quantity(row[measure], unit)
            )
        )
    if row["absent"]:
        where = {key: row[key] for key in ("kind", "nerve", "side", "site")}
        item = cols.ncs_item(**where, measure="absent")
        found.append(item_observation(patient, row["study__study_date"], item, category="exam", valueBoolean=True))
    return found


def imaging_observations(patient: dict, study: dict) -> list[Observation]:
    response, lesion = cols.imaging_items(study["modality"])
    found = [
        item_observation(patient, study["study_date"], lesion, category="imaging", valueBoolean=study["new_lesion"])
    ]
    if study["response_category"]:
        value = concept(codes.IMAGING_RESPONSE_SYSTEM, study["response_category"])
        found.insert(
            0, item_observation(patient, study["study_date"], response, category="imaging", valueCodeableConcept=value)
        )
    return found


def symptom_questionnaire() -> Questionnaire:
    """The checklist patients fill in: ten 0-10 items, weight and their own words."""
    items = [QuestionnaireItem(linkId=code, text=wording, type="integer") for code, wording in SYMPTOM_ITEMS]
    items.append(QuestionnaireItem(linkId="weight_kg", text="Weight (kg)", type="quantity"))
    items.append(QuestionnaireItem(linkId="other_symptoms", text="Anything else", type="text"))
    return Questionnaire(
        id="symptom-checklist",
        url=codes.QUESTIONNAIRE_URL,
        name="PoemsSymptomChecklist",
        title="POEMS symptom checklist (0 = none, 10 = worst)",
        status="active",
        subjectType=["Patient"],
        item=items,
    )


def symptom_response(patient: dict, report: dict) -> QuestionnaireResponse:
    items = [
        QuestionnaireResponseItem(linkId=code, answer=[QuestionnaireResponseItemAnswer(valueInteger=report[code])])
        for code, _wording in SYMPTOM_ITEMS
        if report[code] is not None
    ]
    if report["weight_kg"] is not None:
        answer = QuestionnaireResponseItemAnswer(valueQuantity=quantity(report["weight_kg"], "kg"))
        items.append(QuestionnaireResponseItem(linkId="weight_kg", answer=[answer]))
    if report["other_symptoms"]:
        answer = QuestionnaireResponseItemAnswer(valueString=report["other_symptoms"])
        items.append(QuestionnaireResponseItem(linkId="other_symptoms", answer=[answer]))
    return QuestionnaireResponse(
        id=resource_id("symptoms", patient["mrn"], report["reported_on"]),
        questionnaire=codes.QUESTIONNAIRE_URL,
        status="completed",
        subject=subject(patient),
        authored=report["reported_on"],
        item=items or None,
    )


def _treatment_extensions(row: dict) -> list[Extension]:
    found = []
    if row["intent"]:
        found.append(ext("intent", valueCode=row["intent"]))
    if row["line"] is not None:
        found.append(ext("line", valuePositiveInt=row["line"]))
    if row["anchor_date"]:
        found.append(ext("response-anchor", valueDate=row["anchor_date"]))
    if row["total_dose_gy"] is not None:
        found.append(ext("total-dose", valueQuantity=quantity(row["total_dose_gy"], "Gy")))
    if row["fractions"] is not None:
        found.append(ext("fractions", valuePositiveInt=row["fractions"]))
    if row["melphalan_mg_m2"] is not None:
        found.append(ext("melphalan-dose", valueQuantity=quantity(row["melphalan_mg_m2"], "mg/m2")))
    return found


def treatment_resource(patient: dict, row: dict) -> Procedure | MedicationStatement:
    label = TreatmentCategory(row["category"]).label
    category = concept(codes.TREATMENT_CATEGORY_SYSTEM, row["category"], label)
    period = Period(start=row["start_date"], end=row["end_date"])
    notes = [Annotation(text=row["notes"])] if row["notes"] else None
    extensions = _treatment_extensions(row)
    identity = resource_id("treatment", patient["mrn"], row["category"], row["start_date"])
    agents = [Coding(system=codes.AGENT_SYSTEM, code=agent) for agent in row["agents"] or []]
    if row["category"] in PROCEDURE_CATEGORIES:
        extensions += [ext("agent", valueCode=agent.code) for agent in agents]
        category.text = row["regimen"] or None
        return Procedure(
            id=identity,
            extension=extensions or None,
            status="completed" if row["end_date"] else "in-progress",
            code=category,
            subject=subject(patient),
            performedPeriod=period,
            note=notes,
        )
    return MedicationStatement(
        id=identity,
        extension=extensions or None,
        status="completed" if row["end_date"] else "active",
        category=category,
        medicationCodeableConcept=CodeableConcept(coding=agents or None, text=row["regimen"] or label),
        subject=subject(patient),
        effectivePeriod=period,
        note=notes,
    )


def patient_resources(patient: dict, records) -> list:
    """Every resource of one patient, in a fixed order."""
    events = records.tables.get("events", ())
    found: list = [patient_resource(patient, deceased_on=record.deceased_on(events))]
    found += [treatment_resource(patient, row) for row in records.treatments]
    found += [lab_observation(patient, lab) for lab in records.labs]
    for visit in records.visits:
        found += visit_observations(patient, visit)
    for row in records.ncs:
        found += ncs_observations(patient, row)
    for study in records.imaging:
        found += imaging_observations(patient, study)
    found += [symptom_response(patient, report) for report in records.symptoms]
    return found + record.record_resources(patient, records)
