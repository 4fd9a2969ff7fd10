"""Background tasks: thin wrappers over services (django-tasks)."""

from django_tasks import task


@task()
def research_export_task(*, run_id: int) -> dict:
    """Build the zip of a queued web research export; returns its row counts."""
    from tracker.models import ExportRun
    from tracker.services.exports import research_export_build

    return research_export_build(ExportRun.objects.get(pk=run_id)).counts
