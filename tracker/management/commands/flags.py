"""flags --format json|table [--mrn MRN [--clinic CODE]] [--as-of YYYY-MM-DD] [--save]"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.models import Patient, RecordStatus
from tracker.selectors import patient_by_mrn
from tracker.services.flags import flags_report, flags_store_all


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = "Evaluate the early-warning rules and print flags and response per patient."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--mrn", help="Only this patient.")
        parser.add_argument(
            "--clinic", default="", help="The clinic code of --mrn, when the MRN is in several clinics."
        )
        parser.add_argument("--as-of", type=_date, help="Evaluate on the data up to and including this day.")
        parser.add_argument(
            "--save", action="store_true", help="Also store today's flags for every patient (for a nightly cron)."
        )

    def handle(self, *args, format, mrn, clinic, as_of, save, **options):
        patients = Patient.objects.filter(status=RecordStatus.FINAL).order_by("mrn")
        if mrn:
            patient, problem = patient_by_mrn(mrn, clinic, patients)
            if patient is None:
                raise CommandError(problem)
            patients = patients.filter(pk=patient.pk)
        if save:
            if as_of:
                raise CommandError("--save stores today's flags; it cannot be combined with --as-of.")
            flags_store_all(patients)
        as_of = as_of or timezone.localdate()
        report = flags_report(patients, as_of=as_of)
        if format == "json":
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "patients": report}, ensure_ascii=False))
        else:
            self._table(report, as_of)

    def _table(self, report: list[dict], as_of: datetime.date) -> None:
        self.stdout.write(f"Flags as of {as_of.isoformat()}")
        for entry in report:
            response = ", ".join(f"{domain} {value}" for domain, value in entry["response"].items())
            self.stdout.write(f"\n{entry['mrn']}  status {entry['status'].upper()}  response: {response}")
            if not entry["flags"]:
                self.stdout.write("  no flags")
            for flag in entry["flags"]:
                self.stdout.write(
                    f"  {flag['raised_on']}  {flag['rule']:<4} {flag['severity']:<5} {flag['status']:<12} "
                    f"{flag['domain']:<14} {flag['explanation']}"
                )
