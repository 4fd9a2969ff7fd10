"""The queue's real backends: the database worker, and RQ on a real Redis server."""

import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from tracker import tasks
from tracker.models import WorklistEntry

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_task_kept_across_restarts(patient, staff_user):
    import datetime

    from tests.flags.conftest import add_vegf

    add_vegf(patient, staff_user, datetime.date(2024, 1, 5), "900")
    WorklistEntry.objects.all().delete()
    with override_settings(TASKS=DB_TASKS):
        result = tasks.flags_refresh_task.enqueue([patient.pk])
        assert result.status == "READY"  # stored in the database, not run: a restart loses nothing
        call_command("db_worker", batch=True, interval=0, startup_delay=False)
        result.refresh()
        assert result.status == "SUCCESSFUL" and result.return_value == {"patients": 1}
    assert WorklistEntry.objects.get(patient=patient).last_vegf_on == datetime.date(2024, 1, 5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")
    if binary is None:
        reason = "no redis-server binary on this machine (apt-get install -y redis-server); RQ backend test skipped"
        print(reason)
        pytest.skip(reason)
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="poems-redis-")
    server = subprocess.Popen(  # noqa: S603 - a fixed binary on a loopback port
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_the_rq_backend_runs_a_task_through_a_real_redis(redis_url, patient):
    import django_rq.queues
    from rq import SimpleWorker

    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queues = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
    with override_settings(TASKS=rq_tasks, RQ_QUEUES=queues):
        result = tasks.flags_refresh_task.enqueue([patient.pk])
        queue = django_rq.get_queue("default")
        assert queue.count == 1 and redis_url.endswith(
            f"{queue.connection.connection_pool.connection_kwargs['port']}/0"
        )
        from django_tasks_rq import Job

        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        result.refresh()
        assert result.status == "SUCCESSFUL" and result.return_value == {"patients": 1}
    assert WorklistEntry.objects.filter(patient=patient).exists()
