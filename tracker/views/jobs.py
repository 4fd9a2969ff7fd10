"""The daily jobs page: what the worker ran, for which day, how long it took, what it counted."""

from django.shortcuts import render

from tracker.access import clinical_required
from tracker.scheduler import DAILY_JOBS, recent_runs


@clinical_required
def job_runs(request):
    return render(request, "tracker/staff/job_runs.html", {"runs": recent_runs(), "jobs": sorted(DAILY_JOBS)})
