"""The FHIR Bundle of a set of patients: built with fhir.resources, written as R4 JSON."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle, BundleEntry

from tracker.interop import fhir_out, selectors

FHIR_BASE = "https://poems-tracker.example.org/fhir"


def bundle_entries(patients) -> list[BundleEntry]:
    """Entries for `patients` (a queryset already narrowed to what the user may see), read in
    chunks through the export selectors; the symptom Questionnaire comes first."""
    questionnaire = fhir_out.symptom_questionnaire()
    entries = [BundleEntry(fullUrl=fhir_out.codes.QUESTIONNAIRE_URL, resource=questionnaire)]
    for chunk in selectors.patient_chunks(patients, fields=selectors.FHIR_PATIENT_FIELDS):
        records = selectors.records_for([patient["id"] for patient in chunk], fhir=True)
        for patient in chunk:
            mine = records.get(patient["id"]) or selectors.PatientRecords()
            for resource in fhir_out.patient_resources(patient, mine):
                entries.append(
                    BundleEntry(fullUrl=f"{FHIR_BASE}/{resource.get_resource_type()}/{resource.id}", resource=resource)
                )
    return entries


def bundle_json(patients) -> str:
    bundle = Bundle(type="collection", entry=bundle_entries(patients))
    return bundle.model_dump_json(exclude_none=True, indent=1)
