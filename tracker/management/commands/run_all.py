"""Run the web server and one worker together; Ctrl-C (or SIGTERM) stops both.

    python manage.py run_all 127.0.0.1:8000

`make run` uses this. If either process ends, the other is stopped too.
"""

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
            subprocess.Popen([*manage, "runserver", addrport]),  # noqa: S603 - our own commands
            subprocess.Popen([*manage, "worker"]),  # noqa: S603
        ]
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Web server and worker stopped.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
