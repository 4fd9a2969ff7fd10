"""Background tasks (Django's Tasks API): thin, idempotent wrappers over services.

Each task can run twice without doing the work twice (a retry after a crash, or the same job
queued by two schedulers): it checks the state it is meant to change before changing it.
Arguments are plain JSON values (ids, ISO dates) so every backend can store them.
"""

import datetime

from django.core.cache import caches
from django_tasks import task

PROGRESS_CACHE = "progress"


def progress_key(run_id: int) -> str:
    return f"import-progress-{run_id}"


def import_progress(run_id: int) -> int:
    """Rows handled so far by the queued confirmation of import run `run_id`."""
    return caches[PROGRESS_CACHE].get(progress_key(run_id), 0)


def _publish_steps(run_id: int, steps):
    """Drive an import generator to its end, publishing the rows handled after each chunk."""
    cache = caches[PROGRESS_CACHE]
    try:
        while True:
            cache.set(progress_key(run_id), next(steps), 24 * 3600)
    except StopIteration as stop:
        return stop.value


@task()
def import_check_task(run_id: int, user_id: int) -> dict:
    """Check (dry run) a web upload stored on its run, publishing rows checked as it goes; the
    run becomes 'previewed'. Nothing is saved, so a retry simply checks again; a run already
    checked (finished_at set) is left alone."""
    from django.contrib.auth import get_user_model

    from tracker.importers.runs import web_import_steps
    from tracker.models import ImportRun, ImportStatus

    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportStatus.RUNNING or run.finished_at is not None:
        return {"run": run_id, "skipped": run.status}
    result = _publish_steps(run_id, web_import_steps(run, get_user_model().objects.get(pk=user_id)))
    return {"run": run_id, "rows": result.rows, "problems": result.problem_count}


@task()
def import_confirm_task(run_id: int, user_id: int) -> dict:
    """Save a claimed web import (ImportRun status 'running'), publishing rows done as it goes.

    All or nothing as on the command line: the rows are saved in one transaction. A retry of a
    run already imported or handled does nothing.
    """
    from django.contrib.auth import get_user_model

    from tracker.importers.runs import web_confirm_steps
    from tracker.models import ImportRun, ImportStatus

    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportStatus.RUNNING or run.finished_at is None or run.confirmed_at is not None:
        return {"run": run_id, "skipped": run.status}
    user = get_user_model().objects.get(pk=user_id)
    try:
        result = _publish_steps(run_id, web_confirm_steps(run, user))
    except Exception:
        ImportRun.objects.filter(pk=run_id, status=ImportStatus.RUNNING).update(status=ImportStatus.FAILED)
        raise
    return {"run": run_id, "saved": bool(result.saved)}


@task()
def flags_refresh_task(patient_ids: list[int]) -> dict:
    """Re-evaluate and store the flags (and worklist rows) of `patient_ids` after a bulk change."""
    from tracker.models import Patient, RecordStatus
    from tracker.services.flags import flags_store_all

    patients = Patient.objects.filter(pk__in=patient_ids, status=RecordStatus.FINAL).order_by("pk")
    return {"patients": flags_store_all(patients)}


@task()
def daily_job_task(name: str, day: str) -> dict:
    """Run the registered daily job `name` for `day` (ISO date) once; see tracker.scheduler."""
    from tracker.scheduler import run_job

    return run_job(name, datetime.date.fromisoformat(day))


def enqueue_due(today: datetime.date | None = None) -> list[tuple[str, datetime.date]]:
    """Queue every job-day not yet run (and those whose worker died); returns what was queued.
    The worker calls this every minute; `tracker.scheduler.claim_due` decides what is due."""
    from tracker.scheduler import claim_due

    queued = claim_due(today)
    for name, day in queued:
        daily_job_task.enqueue(name, day.isoformat())
    return queued


@task()
def research_export_task(*, run_id: int) -> dict:
    """Build the zip of a queued web research export; returns its row counts. A run already
    built is not built again."""
    from tracker.access import patients_visible_to
    from tracker.accounts.audit import patient_reads_record
    from tracker.interop.export_runs import research_export_build
    from tracker.models import ExportRun, ExportStatus

    run = ExportRun.objects.get(pk=run_id)
    if run.status == ExportStatus.DONE:
        return run.counts
    run = research_export_build(run)
    exported = patients_visible_to(run.actor)
    if run.clinic_code:
        exported = exported.filter(clinic__code__iexact=run.clinic_code)
    patient_reads_record(user=run.actor, patients=exported.only("pk", "mrn"), what="research export")
    return run.counts


def research_export_queue(*, actor, pseudonymise: bool, clinic_code: str = ""):
    """Record a web export (an ExportRun) and queue its task; with the immediate backend it is
    done on return."""
    from tracker.models import ExportFormat, ExportRun, ExportSource

    run = ExportRun.objects.create(
        actor=actor,
        format=ExportFormat.RESEARCH,
        source=ExportSource.WEB,
        pseudonymised=pseudonymise,
        clinic_code=clinic_code,
        options={"pseudonymise": pseudonymise, "clinic": clinic_code},
    )
    research_export_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run
