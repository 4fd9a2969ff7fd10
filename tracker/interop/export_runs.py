"""Exports, recorded: every research, FHIR or own-record export leaves an ExportRun row.

A web export is queued as a task (`tracker.tasks.research_export_queue`) whose task builds the
zip here (`research_export_build`) and keeps its bytes on the run until downloaded; the command
writes to a folder directly.
"""

from __future__ import annotations

from django.utils import timezone

from tracker.access import patients_visible_to
from tracker.interop.export import pseudonymiser_from_settings, research_export_zip
from tracker.models import ExportRun, ExportStatus


def export_run_record(
    *, actor, format: str, source: str, counts: dict, pseudonymised: bool = False, clinic_code: str = "", options=None
) -> ExportRun:
    """The audit row of an export that already happened (command line, portal download)."""
    return ExportRun.objects.create(
        actor=actor,
        format=format,
        source=source,
        pseudonymised=pseudonymised,
        clinic_code=clinic_code,
        options=options or {},
        counts=counts,
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
    )


def research_export_build(run: ExportRun) -> ExportRun:
    """Build the zip of a queued web export, for the patients its user may see now."""
    try:
        pseudonymiser = pseudonymiser_from_settings() if run.pseudonymised else None
        data, outcome = research_export_zip(
            patients=patients_visible_to(run.actor), pseudonymiser=pseudonymiser, clinic_code=run.clinic_code
        )
    except Exception as exc:  # recorded for the user; the traceback goes to the log
        run.status, run.message = ExportStatus.FAILED, str(exc) or type(exc).__name__
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    stamp = timezone.localtime(run.started_at).strftime("%Y%m%d-%H%M")
    run.file_name = f"poems-research-{'pseudonymised-' if run.pseudonymised else ''}{stamp}.zip"
    run.file_bytes, run.file_size = data, len(data)
    run.counts, run.status, run.finished_at = outcome.counts, ExportStatus.DONE, timezone.now()
    run.save(update_fields=["file_name", "file_bytes", "file_size", "counts", "status", "finished_at"])
    return run
