"""FHIR import pages for staff: upload and check, see what would change, confirm or discard."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tracker.access import clinical_required
from tracker.forms.exports import FhirUploadForm
from tracker.forms.imports import CsvMemoryUploadHandler
from tracker.interop.fhir_uploads import fhir_upload_check, fhir_upload_confirm, fhir_upload_discard
from tracker.models import FhirUpload, FhirUploadStatus


def _own_upload(user, pk) -> FhirUpload:
    try:
        return FhirUpload.objects.defer("file_bytes").get(pk=pk, actor=user)
    except FhirUpload.DoesNotExist:
        raise Http404("No such upload.") from None


@csrf_exempt
@clinical_required
def fhir_import_start(request):
    """CSRF is checked by the inner view, after the in-memory upload handler is set."""
    request.upload_handlers = [CsvMemoryUploadHandler(request)]
    return _fhir_import_start(request)


@csrf_protect
def _fhir_import_start(request):
    form = FhirUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        checked = fhir_upload_check(actor=request.user, file_name=upload.name, data=upload.read())
        return redirect("fhir_import_run", pk=checked.pk)
    uploads = FhirUpload.objects.filter(actor=request.user).defer("file_bytes")[:20]
    return render(request, "tracker/imports/fhir_start.html", {"form": form, "uploads": uploads})


@clinical_required
def fhir_import_run(request, pk):
    upload = _own_upload(request.user, pk)
    return render(
        request,
        "tracker/imports/fhir_run.html",
        {"upload": upload, "can_confirm": upload.status == FhirUploadStatus.PREVIEWED},
    )


@clinical_required
@require_POST
def fhir_import_confirm(request, pk):
    upload = fhir_upload_confirm(FhirUpload.objects.get(pk=_own_upload(request.user, pk).pk))
    if upload.status == FhirUploadStatus.IMPORTED:
        messages.success(request, "The Bundle was imported.")
    else:
        messages.error(request, "The Bundle was not imported; nothing was saved. The problems are listed below.")
    return redirect("fhir_import_run", pk=upload.pk)


@clinical_required
@require_POST
def fhir_import_discard(request, pk):
    fhir_upload_discard(FhirUpload.objects.get(pk=_own_upload(request.user, pk).pk))
    messages.info(request, "Discarded; nothing was saved.")
    return redirect("fhir_import_start")
