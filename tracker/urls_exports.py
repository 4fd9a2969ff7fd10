"""Research export and FHIR import pages."""

from django.urls import path

from tracker.views import exports, fhir_imports, portal_export

urlpatterns = [
    path("exports/", exports.export_list, name="export_list"),
    path("exports/start/", exports.export_start, name="export_start"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("imports/fhir/", fhir_imports.fhir_import_start, name="fhir_import_start"),
    path("imports/fhir/<int:pk>/", fhir_imports.fhir_import_run, name="fhir_import_run"),
    path("imports/fhir/<int:pk>/confirm/", fhir_imports.fhir_import_confirm, name="fhir_import_confirm"),
    path("imports/fhir/<int:pk>/discard/", fhir_imports.fhir_import_discard, name="fhir_import_discard"),
    path("me/record.json", portal_export.portal_record_download, {"fmt": "json"}, name="portal_record_json"),
    path("me/record.csv", portal_export.portal_record_download, {"fmt": "csv"}, name="portal_record_csv"),
]
