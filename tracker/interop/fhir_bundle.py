"""The FHIR Bundle of a set of patients: built with fhir.resources, written as R4 JSON.

`bundle_write` streams: the Bundle's opening, then each entry serialised on its own as it is
built, then the closing, so memory holds one chunk of patients' records and one entry, whatever
the number of patients. The text is the same as `Bundle(type="collection", entry=[...])
.model_dump_json(exclude_none=True, indent=1)` of all the entries built at once
(`tests/interop/test_fhir_stream.py` compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fhir.resources.R4B.bundle import Bundle, BundleEntry

from tracker.interop import fhir_out, selectors

FHIR_BASE = "https://poems-tracker.example.org/fhir"
INDENT = 1
ENTRY_DEPTH = 2  # an entry sits inside the Bundle's object and its "entry" array


def bundle_entries(patients) -> Iterator[BundleEntry]:
    """Entries for `patients` (a queryset already narrowed to what the user may see), read in
    chunks through the export selectors, one at a time; the symptom Questionnaire comes first."""
    yield BundleEntry(fullUrl=fhir_out.codes.QUESTIONNAIRE_URL, resource=fhir_out.symptom_questionnaire())
    for chunk in selectors.patient_chunks(patients, fields=selectors.FHIR_PATIENT_FIELDS):
        records = selectors.records_for([patient["id"] for patient in chunk], fhir=True)
        for patient in chunk:
            mine = records.get(patient["id"]) or selectors.PatientRecords()
            for resource in fhir_out.patient_resources(patient, mine):
                yield BundleEntry(
                    fullUrl=f"{FHIR_BASE}/{resource.get_resource_type()}/{resource.id}", resource=resource
                )


def _envelope() -> tuple[str, str]:
    """The text before the first entry and after the last: the envelope fields are those
    fhir.resources writes for a collection Bundle, with the "entry" array opened after them."""
    fields = Bundle(type="collection").model_dump_json(exclude_none=True, indent=INDENT)
    pad = " " * INDENT
    head = fields.removesuffix("\n}") + f',\n{pad}"entry": [\n'
    return head, f"\n{pad}]\n}}"


def _entry_text(entry: BundleEntry) -> str:
    """One entry as it reads inside the Bundle: its own JSON indented to the entry's depth
    (JSON strings hold no raw line breaks, so indenting line by line is exact)."""
    pad = " " * (INDENT * ENTRY_DEPTH)
    return "\n".join(pad + line for line in entry.model_dump_json(exclude_none=True, indent=INDENT).split("\n"))


def bundle_write(patients, write: Callable[[str], object]) -> int:
    """Write the Bundle of `patients` piece by piece through `write`; returns the characters
    written. Cost: the export selectors' queries (1 + 7 per chunk of patients)."""
    head, tail = _envelope()
    written = 0
    for index, entry in enumerate(bundle_entries(patients)):
        text = (head if index == 0 else ",\n") + _entry_text(entry)
        write(text)
        written += len(text)
    write(tail)
    return written + len(tail)
