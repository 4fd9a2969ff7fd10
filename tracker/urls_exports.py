"""Research export and FHIR import pages."""

from django.urls import path

from tracker.views import exports

urlpatterns = [
    path("exports/", exports.export_list, name="export_list"),
    path("exports/start/", exports.export_start, name="export_start"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
