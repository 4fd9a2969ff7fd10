"""Run the web server and one worker together; Ctrl-C (or SIGTERM) stops both.

    python manage.py run_all 127.0.0.1:8000

`make run` uses this. If either process ends, the other is stopped too.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run `runserver` and `worker` together until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        manage = [sys.executable, sys.argv[0]]
        processes = [
            # Each in its own process group, so stopping it also stops its autoreloader's child.
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),  # noqa: S603
            subprocess.Popen([*manage, "worker"], start_new_session=True),  # noqa: S603
        ]
        # Set both explicitly: a shell that starts this in the background ignores SIGINT.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)  # both stop cleanly (the worker ends its task)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Web server and worker stopped.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
