"""The research export page: start an export, list earlier ones, download a finished zip.

Only users who may export (consultants) see it; each export covers only the patients the user
may see, and a download is only ever handed to the user who asked for it.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tracker.access import export_required
from tracker.forms.exports import ResearchExportForm
from tracker.interop.selectors import export_runs_of_clinics
from tracker.models import ExportRun, ExportStatus
from tracker.tasks import research_export_queue


def _clinics(user):
    return list(user.clinics.order_by("name"))


def _page(request, form, status=200):
    context = {
        "form": form,
        "runs": ExportRun.objects.filter(actor=request.user).defer("file_bytes")[:50],
        "audit": export_runs_of_clinics(request.user),
    }
    return render(request, "tracker/exports/list.html", context, status=status)


@export_required
def export_list(request):
    return _page(request, ResearchExportForm(clinics=_clinics(request.user)))


@export_required
@require_POST
def export_start(request):
    form = ResearchExportForm(request.POST, clinics=_clinics(request.user))
    if not form.is_valid():
        return _page(request, form, status=400)
    run = research_export_queue(
        actor=request.user, pseudonymise=form.cleaned_data["pseudonymise"], clinic_code=form.cleaned_data["clinic"]
    )
    if run.status == ExportStatus.FAILED:
        messages.error(request, f"The export failed: {run.message}")
    elif run.status == ExportStatus.DONE:
        messages.success(request, "The export is ready to download.")
    else:
        messages.info(request, "The export is being prepared; this page lists it once it is ready.")
    return redirect("export_list")


@export_required
def export_download(request, pk):
    try:
        run = ExportRun.objects.get(pk=pk, actor=request.user, status=ExportStatus.DONE, file_bytes__isnull=False)
    except ExportRun.DoesNotExist:
        raise Http404("No such export.") from None
    response = HttpResponse(bytes(run.file_bytes), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{run.file_name}"'
    response["Cache-Control"] = "no-store"
    return response
