"""due --format json|table [--as-of YYYY-MM-DD] [--within DAYS] [--mrn MRN]  (INTERFACES.md section 7)"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.models import Patient, RecordStatus
from tracker.services.due import DEFAULT_WITHIN_DAYS, due_rows

MAX_WITHIN_DAYS = 3660


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}.") from None


def _days(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_WITHIN_DAYS:
        raise CommandError(f"--within must be a whole number of days from 0 to {MAX_WITHIN_DAYS}, not {text!r}.")
    return int(text)


class Command(BaseCommand):
    help = "Print every scheduled follow-up item that is overdue or due within DAYS (default 30), per patient."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--as-of", type=_date, help="The day to count from (default: today).")
        parser.add_argument("--within", type=_days, default=DEFAULT_WITHIN_DAYS, help="Days ahead (default 30).")
        parser.add_argument("--mrn", help="Only this patient.")

    def handle(self, *args, format, as_of, within, mrn, **options):
        as_of = as_of or timezone.localdate()
        patients = Patient.objects.filter(status=RecordStatus.FINAL)
        if mrn:
            patients = patients.filter(mrn=mrn)
            if not patients.exists():
                raise CommandError(f"No patient with MRN {mrn!r}.")
        items = [
            {
                "mrn": row.patient.mrn,
                "item": row.item,
                "last_done": row.entry.last_done.isoformat() if row.entry.last_done else None,
                "due_on": row.entry.due_on.isoformat(),
                "interval_months": row.entry.interval_months,
                "overdue_days": row.entry.overdue_days,
            }
            for row in due_rows(patients, as_of=as_of, within_days=within)
        ]
        if format == "json":
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "items": items}, ensure_ascii=False))
            return
        self.stdout.write(f"Due within {within} days of {as_of.isoformat()} (and overdue): {len(items)} item(s)")
        self.stdout.write(f"{'MRN':<12} {'item':<12} {'last done':<10}  {'due on':<10}  {'interval':>8}  overdue")
        for item in items:
            overdue = f"{item['overdue_days']} days" if item["overdue_days"] else "-"
            self.stdout.write(
                f"{item['mrn']:<12} {item['item']:<12} {item['last_done'] or 'never':<10}  {item['due_on']:<10}  "
                f"{item['interval_months']:>5} mo  {overdue}"
            )
