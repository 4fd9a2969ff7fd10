"""send_reminders [--dry-run] [--today YYYY-MM-DD] [--site-url URL]  (for a daily cron)"""

import datetime
import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.services.portal import portal_reminder_candidates, portal_reminder_send, site_url_setting


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Email each portal patient whose symptom report is due (every report_interval_days, default 28),"
        " at most once per due period. Patients without an email address are listed as skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be emailed; send nothing.")
        parser.add_argument("--today", type=_date, help="Run as if it were this day (default: today).")
        parser.add_argument(
            "--site-url", help="Address of the site for the link in the email (default: settings.POEMS_SITE_URL)."
        )

    def handle(self, *args, dry_run, today, site_url, verbosity, **options):
        today = today or timezone.localdate()
        site_url = site_url or site_url_setting()
        sent = skipped = failed = 0
        for candidate in portal_reminder_candidates(today=today):
            patient = candidate.patient
            who = f"{patient.mrn} ({patient.user.email or patient.user.get_username()}), due since {candidate.due_on}"
            if not candidate.send:
                if candidate.skip_reason.startswith("already reminded") and verbosity < 2:
                    continue
                skipped += 1
                self.stdout.write(f"skipped {who}: {candidate.skip_reason}")
                continue
            if dry_run:
                self.stdout.write(f"would email {who}")
            else:
                try:
                    portal_reminder_send(candidate=candidate, today=today, site_url=site_url)
                except (smtplib.SMTPException, OSError) as exc:
                    failed += 1
                    self.stderr.write(f"failed {who}: {exc}")
                    continue
                self.stdout.write(f"emailed {who}")
            sent += 1
        verb = "would email" if dry_run else "emailed"
        self.stdout.write(f"reminders: {verb} {sent}, skipped {skipped}" + (f", failed {failed}" if failed else ""))
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent; they will be tried again on the next run.")
