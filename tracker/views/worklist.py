"""The consultant worklist."""

from django.shortcuts import render

from tracker.access import clinical_required


@clinical_required
def worklist(request):
    return render(request, "tracker/staff/worklist.html", {})
