"""Chart pages: the printable patient summary and the consultants' cohort view."""

from django.urls import path

from tracker.views import timeline

urlpatterns = [
    path("patients/<int:pk>/summary/", timeline.patient_summary, name="patient_summary"),
    path("cohort/", timeline.cohort, name="cohort"),
]
