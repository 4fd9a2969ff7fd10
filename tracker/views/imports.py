"""Staff pages for CSV import: upload and check, preview every row, confirm or discard.

Nothing is saved before confirmation: the upload is checked by a dry run of the real import
and stored on an ImportRun, so the confirmation can run on any app server.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tracker.access import clinical_required
from tracker.forms.imports import CsvMemoryUploadHandler, ImportUploadForm
from tracker.importers import KINDS
from tracker.importers.pages import analyte_rows, can_confirm, column_help, preview_page, template_csv
from tracker.importers.runs import (
    AlreadyHandled,
    run_for,
    runs_of,
    web_claim,
    web_discard,
    web_upload,
)
from tracker.models import ImportKind, ImportRun, ImportStatus
from tracker.tasks import import_check_task, import_confirm_task, import_progress


def _wants_progress(request) -> bool:
    """An older page script asking for NDJSON progress; it gets a plain 400 for an invalid form."""
    return request.headers.get("X-Import-Progress") == "ndjson"


def _own_run(user, pk) -> ImportRun:
    try:
        return run_for(user, pk)
    except ImportRun.DoesNotExist:
        raise Http404("No such import.") from None


@csrf_exempt
@clinical_required
def import_start(request):
    """CSRF is checked by the inner view, after the upload handler is set (Django's recipe)."""
    request.upload_handlers = [CsvMemoryUploadHandler(request)]
    return _import_start(request)


@csrf_protect
def _import_start(request):
    initial = {"kind": request.GET.get("kind", "")}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        kwargs = {"user": request.user, "kind": form.cleaned_data["kind"], "file_name": upload.name, "data": data}
        run = web_upload(update=form.cleaned_data["update_existing"], **kwargs)
        # Checked by the worker (a task); the run's page polls import_progress meanwhile.
        import_check_task.enqueue(run.pk, request.user.pk)
        return redirect("import_run", pk=run.pk)
    if request.method == "POST" and _wants_progress(request):
        return HttpResponse(status=400)  # the page's script then posts the form normally to show the errors
    kinds = [
        {"code": code, "label": label, "columns": column_help(code), "template": template_csv(code)}
        for code, label in ImportKind.choices
    ]
    return render(
        request,
        "tracker/imports/start.html",
        {"form": form, "kinds": kinds, "analytes": analyte_rows(), "runs": runs_of(request.user)},
    )


@clinical_required
def import_run(request, pk):
    run = _own_run(request.user, pk)
    only_errors = request.GET.get("show") == "errors"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    context = {"run": run, "only_errors": only_errors, "can_confirm": can_confirm(run)}
    if run.status == ImportStatus.PREVIEWED:
        context.update(preview_page(run, page=page, only_errors=only_errors))
        context["form"] = ImportUploadForm(initial={"kind": run.kind, "update_existing": run.update_existing})
    return render(request, "tracker/imports/run.html", context)


@require_POST
@clinical_required
def import_confirm(request, pk):
    run = _own_run(request.user, pk)
    if not can_confirm(run):
        messages.error(request, "This import cannot be confirmed: it has problems or was already handled.")
        return redirect("import_run", pk=run.pk)
    try:
        web_claim(run)
    except AlreadyHandled:
        messages.error(request, "This import was already confirmed or discarded.")
        return redirect("import_run", pk=run.pk)
    # Saved by the worker (a task), so no request waits for the rows: the run's page polls
    # import_progress until the run is imported or refused.
    import_confirm_task.enqueue(run.pk, request.user.pk)
    run.refresh_from_db(fields=["status", "error_count"])
    if run.status not in (ImportStatus.RUNNING, ImportStatus.IMPORTED):
        messages.error(request, "The records changed since the check; nothing was saved. See the problems below.")
    return redirect("import_run", pk=run.pk)


@clinical_required
def import_progress_view(request, pk):
    """{"status", "rows", "total", "done"} of a run, for the page's poll."""
    run = _own_run(request.user, pk)
    done = run.status != ImportStatus.RUNNING
    rows = run.row_count if done else import_progress(run.pk)
    total = run.row_count if run.finished_at else _line_count(run)
    return JsonResponse({"status": run.status, "rows": rows, "total": total, "done": done})


def _line_count(run: ImportRun) -> int:
    """About how many rows an unchecked upload has (its lines less the header)."""
    data = ImportRun.objects.filter(pk=run.pk).values_list("file_bytes", flat=True).first()
    return max(bytes(data or b"").count(b"\n") - 1, 1)


@require_POST
@clinical_required
def import_discard(request, pk):
    run = _own_run(request.user, pk)
    if run.status == ImportStatus.PREVIEWED:
        web_discard(run)
        messages.info(request, f"Discarded {run.file_name}; nothing was saved.")
    return redirect("import_start")


@clinical_required
def import_template(request, kind):
    if kind not in KINDS:
        raise Http404("No such kind of import.")
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
