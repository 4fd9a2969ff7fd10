"""The patient's own record as a download from the portal: FHIR JSON or a readable CSV.

The patient is always the signed-in patient's own (`own_patient`); no id is taken from the URL.
"""

from django.http import HttpResponse

from tracker.access import own_patient, patient_required
from tracker.interop import selectors
from tracker.interop.export_runs import export_run_record
from tracker.interop.patient_record import own_records, record_bundle_json, record_csv
from tracker.models import ExportFormat, ExportSource, Patient
from tracker.presenters.portal import withheld_lab_keys
from tracker.services.portal import portal_settings_for

FORMATS = {
    "json": ("application/fhir+json", record_bundle_json),
    "csv": ("text/csv; charset=utf-8", record_csv),
}


@patient_required
def portal_record_download(request, fmt):
    patient = own_patient(request.user)
    row = Patient.objects.filter(pk=patient.pk).values(*selectors.FHIR_PATIENT_FIELDS).get()
    records = selectors.records_for([patient.pk], fhir=True).get(patient.pk) or selectors.PatientRecords()
    released = portal_settings_for(patient).released_analytes or []
    mine = own_records(row, records, released, withheld_lab_keys(patient, released))
    content_type, build = FORMATS[fmt]
    body = build(row, mine)
    export_run_record(
        actor=request.user,
        format=ExportFormat.PATIENT_RECORD,
        source=ExportSource.PORTAL,
        counts={"labs": len(mine.labs), "symptoms": len(mine.symptoms), "treatments": len(mine.treatments)},
        options={"format": fmt},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="my-poems-record.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
