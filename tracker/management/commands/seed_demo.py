"""seed_demo: build the synthetic demo clinic and print the demo sign-ins."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoRefused, demo_status, seed_demo


class Command(BaseCommand):
    help = "Create about twenty synthetic patients with 1-6 year timelines and three demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=20, help="Number of demo patients (default 20).")

    def handle(self, *args, count, **options):
        status = demo_status()
        if status == "real":
            raise CommandError("Refusing to seed: this database holds non-demo patients.")
        if status == "demo":
            self.stdout.write("Demo data already present; nothing added.")
        else:
            try:
                created = seed_demo(today=timezone.localdate(), count=count)
            except DemoRefused as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Created {created} synthetic demo patients.")
        self.stdout.write("Demo sign-ins (synthetic data only):")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<11} username {username!r:<13} password {DEMO_PASSWORD!r}")
