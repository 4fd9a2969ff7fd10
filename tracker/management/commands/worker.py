"""Run the background worker: the task queue and, every minute, the daily jobs' scheduler.

    python manage.py worker

With the database backend (the default) this is django-tasks-db's `db_worker`; with
POEMS_TASKS_BACKEND=rq it is django-rq's `rqworker` for the same tasks. The scheduler thread
only queues work (tracker.tasks.enqueue_due); running several workers is safe.
"""

import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tracker.tasks import enqueue_due


class Command(BaseCommand):
    help = "Run queued tasks and the daily jobs (nightly re-evaluation and others)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=60.0, help="Seconds between scheduler checks.")
        parser.add_argument("--no-scheduler", action="store_true", help="Run tasks only (another worker schedules).")

    def handle(self, *args, tick: float, no_scheduler: bool, **options):
        if not no_scheduler:
            threading.Thread(target=self._schedule, args=(tick,), daemon=True, name="scheduler").start()
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            call_command("db_worker", interval=1.0)
        elif backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=True)
        else:
            self.stdout.write("Tasks run inside the caller with this backend; only the scheduler runs here.")
            threading.Event().wait()

    def _schedule(self, tick: float) -> None:
        while True:
            try:
                queued = enqueue_due()
                if queued:
                    self.stdout.write("Queued daily jobs: " + ", ".join(f"{n} for {d}" for n, d in queued))
            except Exception as exc:  # noqa: BLE001 - the worker keeps running; the next tick retries
                self.stderr.write(f"Scheduler check failed: {exc!r}")
            finally:
                close_old_connections()
            time.sleep(tick)
