from django.urls import include, path

from tracker.views import home, jobs, patients, records, worklist

urlpatterns = [
    path("", home.home, name="home"),
    path("worklist/", worklist.worklist, name="worklist"),
    path("patients/", patients.patient_list, name="patient_list"),
    path("patients/new/", patients.patient_create_view, name="patient_create"),
    path("patients/<int:pk>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:pk>/edit/", patients.patient_edit, name="patient_edit"),
    path("patients/<int:pk>/checklist/", patients.checklist_edit, name="checklist_edit"),
    path("patients/<int:pk>/labs/new/", records.lab_create, name="lab_create"),
    path("patients/<int:pk>/labs/panel/<slug:panel>/", records.lab_panel_create, name="lab_panel_create"),
    path("patients/<int:pk>/ncs/new/", records.ncs_create, name="ncs_create"),
    path("patients/<int:pk>/<slug:kind>/new/", records.record_create, name="record_create"),
    path("treatments/<int:treatment_pk>/engraftment/", records.engraftment_edit, name="engraftment_edit"),
    path("records/<slug:kind>/<int:record_pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<slug:kind>/<int:record_pk>/entered-in-error/", records.record_error, name="record_error"),
    path("records/<slug:kind>/<int:record_pk>/history/", records.record_history, name="record_history"),
    path("flags/<int:pk>/", worklist.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/acknowledge/", worklist.flag_acknowledge_view, name="flag_acknowledge"),
    path("jobs/", jobs.job_runs, name="job_runs"),
    path("", include("tracker.urls_imports")),
    path("", include("tracker.urls_charts")),
    path("", include("tracker.urls_portal")),
    path("", include("tracker.urls_schedule")),
    path("", include("tracker.urls_exports")),
]
