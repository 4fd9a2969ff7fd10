"""Daily jobs run by the worker, without cron.

`DAILY_JOBS` names each job and the dotted path of a plain function `job(*, today) -> dict`
of counts. The worker calls `tracker.tasks.enqueue_due` every minute: `claim_due` records,
for each job and each day from the day after its last recorded run (at most `CATCH_UP_DAYS`
back, so a missed night catches up) to today, a `JobRun` (unique per job and day), and the
job is queued as a task (`tracker.tasks.daily_job_task`). The task runs the job once
(`run_job`); a run left queued or running for `STALE_AFTER` (the worker died) is queued
again. Other parts add their jobs to `DAILY_JOBS`.
"""

import datetime
import time

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from tracker.models import JobRun, JobStatus

DAILY_JOBS: dict[str, str] = {
    "nightly-reevaluation": "tracker.services.nightly.nightly_reevaluation",
    "self_report_reminders": "tracker.services.reminders.self_report_reminders_job",
    "clinic_due_digest": "tracker.services.reminders.clinic_digest_job",
}
CATCH_UP_DAYS = 3
STALE_AFTER = datetime.timedelta(hours=6)
RETRY_FAILED_AFTER = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 3


def days_due(name: str, today: datetime.date) -> list[datetime.date]:
    """The days `name` still has to run for: after its last run, up to today."""
    last = JobRun.objects.filter(job=name).order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return [today]
    first = max(today - datetime.timedelta(days=CATCH_UP_DAYS - 1), last + datetime.timedelta(days=1))
    return [first + datetime.timedelta(days=n) for n in range((today - first).days + 1)]


def claim_due(today: datetime.date | None = None) -> list[tuple[str, datetime.date]]:
    """Record a run for every job-day not yet run and re-arm those whose worker died; returns
    the (job, day) pairs to queue, which `tracker.tasks.enqueue_due` queues."""
    today = today or timezone.localdate()
    now = timezone.now()
    queued = []
    for name in DAILY_JOBS:
        for day in days_due(name, today):
            try:
                with transaction.atomic():
                    JobRun.objects.create(job=name, day=day, queued_at=now)
            except IntegrityError:
                continue  # another scheduler queued it first
            queued.append((name, day))
    stale = JobRun.objects.filter(
        Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING], queued_at__lt=now - STALE_AFTER)
        | Q(status=JobStatus.FAILED, queued_at__lt=now - RETRY_FAILED_AFTER, attempts__lt=MAX_ATTEMPTS)
    )
    for run in stale:
        JobRun.objects.filter(pk=run.pk).update(status=JobStatus.QUEUED, queued_at=now, attempts=run.attempts + 1)
        queued.append((run.job, run.day))
    return queued


def run_job(name: str, day: datetime.date) -> dict:
    """Run job `name` for `day` once and record its duration and counts. A day already done
    (a duplicate task, a retry) is not run again."""
    claimed = JobRun.objects.filter(job=name, day=day, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return {"skipped": JobRun.objects.filter(job=name, day=day).values_list("status", flat=True).first()}
    started = time.monotonic()
    try:
        counts = import_string(DAILY_JOBS[name])(today=day)
    except Exception as exc:
        JobRun.objects.filter(job=name, day=day).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), duration_s=time.monotonic() - started, error=repr(exc)
        )
        raise
    JobRun.objects.filter(job=name, day=day).update(
        status=JobStatus.DONE, finished_at=timezone.now(), duration_s=time.monotonic() - started, counts=counts
    )
    return counts


def recent_runs(limit: int = 60):
    """The latest job runs for the staff page. One query."""
    return JobRun.objects.order_by("-day", "job")[:limit]
