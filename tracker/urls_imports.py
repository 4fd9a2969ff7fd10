"""CSV import pages."""

from django.urls import path

from tracker.views import imports

urlpatterns = [
    path("imports/", imports.import_start, name="import_start"),
    path("imports/<int:pk>/", imports.import_run, name="import_run"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/progress/", imports.import_progress_view, name="import_progress"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("imports/template/<slug:kind>.csv", imports.import_template, name="import_template"),
]
