"""Daily jobs without cron: recorded once per job and day, caught up, retried, shown to staff."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker import scheduler, tasks
from tracker.models import JobRun, JobStatus, WorklistEntry

D = datetime.date
TODAY = D(2026, 3, 10)


def counting_job(*, today):
    return {"day": today.isoformat()}


def _days_run():
    return [
        D.fromisoformat(counts["day"]) for counts in JobRun.objects.order_by("day").values_list("counts", flat=True)
    ]


def failing_job(*, today):
    raise RuntimeError("disk full")


@pytest.fixture
def jobs(monkeypatch, db):
    monkeypatch.setattr(scheduler, "DAILY_JOBS", {"count": "tests.flags.test_scheduler.counting_job"})
    return scheduler.DAILY_JOBS


def test_a_job_runs_once_a_day_and_is_recorded(jobs):
    assert tasks.enqueue_due(TODAY) == [("count", TODAY)]
    run = JobRun.objects.get()
    assert (run.job, run.day, run.status, run.counts) == ("count", TODAY, JobStatus.DONE, {"day": "2026-03-10"})
    assert run.duration_s is not None and run.started_at and run.finished_at
    assert tasks.enqueue_due(TODAY) == []  # the next tick the same day queues nothing
    assert scheduler.run_job("count", TODAY) == {"skipped": "done"}  # a duplicate task does nothing
    assert _days_run() == [TODAY]


def test_missed_nights_catch_up_in_order(jobs):
    tasks.enqueue_due(TODAY)
    later = TODAY + datetime.timedelta(days=3)
    assert [day for _job, day in tasks.enqueue_due(later)] == [TODAY + datetime.timedelta(days=n) for n in (1, 2, 3)]
    assert _days_run() == [TODAY + datetime.timedelta(days=n) for n in range(4)]
    far = later + datetime.timedelta(days=30)  # a long outage catches up at most CATCH_UP_DAYS
    assert len(tasks.enqueue_due(far)) == scheduler.CATCH_UP_DAYS


def test_a_failed_run_is_recorded_and_retried_later(jobs, monkeypatch):
    monkeypatch.setitem(scheduler.DAILY_JOBS, "count", "tests.flags.test_scheduler.failing_job")
    assert tasks.enqueue_due(TODAY) == [("count", TODAY)]  # the task fails; the queue records it
    run = JobRun.objects.get()
    assert run.status == JobStatus.FAILED and "disk full" in run.error
    assert tasks.enqueue_due(TODAY) == []  # not at once
    JobRun.objects.update(queued_at=timezone.now() - scheduler.RETRY_FAILED_AFTER - datetime.timedelta(minutes=1))
    monkeypatch.setitem(scheduler.DAILY_JOBS, "count", "tests.flags.test_scheduler.counting_job")
    assert tasks.enqueue_due(TODAY) == [("count", TODAY)]
    run.refresh_from_db()
    assert (run.status, run.attempts) == (JobStatus.DONE, 2)


def test_a_run_left_running_by_a_dead_worker_is_queued_again(jobs):
    JobRun.objects.create(
        job="count", day=TODAY, status=JobStatus.RUNNING, queued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert tasks.enqueue_due(TODAY) == []  # still within STALE_AFTER: the worker may be busy
    JobRun.objects.update(queued_at=timezone.now() - scheduler.STALE_AFTER - datetime.timedelta(minutes=1))
    assert tasks.enqueue_due(TODAY) == [("count", TODAY)]
    run = JobRun.objects.get()
    assert (run.status, run.attempts, run.counts) == (JobStatus.DONE, 2, {"day": "2026-03-10"})


def test_the_nightly_reevaluation_refreshes_every_patient(db, tv08):
    WorklistEntry.objects.all().delete()
    assert "nightly-reevaluation" in scheduler.DAILY_JOBS
    tasks.enqueue_due(timezone.localdate())
    run = JobRun.objects.get(job="nightly-reevaluation")
    assert run.status == JobStatus.DONE and run.counts == {"patients": 1}
    assert WorklistEntry.objects.get(patient=tv08.patient).top_rank == 1


def test_staff_see_the_job_runs_and_patients_do_not(staff_client, client, patient_user, jobs):
    tasks.enqueue_due(TODAY)
    html = staff_client.get(reverse("job_runs")).content.decode()
    assert "2026-03-10" in html and "day: 2026-03-10" in html and "Done" in html
    client.force_login(patient_user)
    assert client.get(reverse("job_runs")).status_code == 403
