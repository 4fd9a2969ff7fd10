"""access_log [--mrn MRN] [--user USERNAME] [--since YYYY-MM-DD]: the read audit as CSV."""

import csv
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.accounts.audit import access_log_rows

HEADER = ("when", "user", "mrn", "what")


def _since(text: str | None):
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since must be a date as YYYY-MM-DD, not {text!r}.") from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = "Print who opened which patient's pages, search hit lists and exports, as CSV (when,user,mrn,what)."

    def add_arguments(self, parser):
        parser.add_argument("--mrn", help="Only reads of this patient.")
        parser.add_argument("--user", help="Only reads by this user name.")
        parser.add_argument("--since", help="Only reads on or after this date (YYYY-MM-DD, local time).")

    def handle(self, *args, mrn, user, since, **options):
        rows = access_log_rows(mrn=mrn, username=user, since=_since(since))
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for read in rows.iterator(chunk_size=2000):
            when = timezone.localtime(read.at).isoformat(timespec="seconds")
            writer.writerow((when, read.username, read.mrn, read.what))
