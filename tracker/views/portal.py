"""The patient's own pages. No patient ID ever comes from the URL."""

from django.shortcuts import render

from tracker.access import own_patient, patient_required
from tracker.models import SymptomReport


@patient_required
def portal_home(request):
    patient = own_patient(request.user)
    reports = list(SymptomReport.objects.valid().filter(patient=patient).order_by("-reported_on")[:12])
    return render(request, "tracker/portal/home.html", {"patient": patient, "reports": reports})
