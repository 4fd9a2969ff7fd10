"""export_research --out DIR [--pseudonymise] [--clinic CODE] [--force]"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from tracker.accounts.audit import patient_reads_record
from tracker.importers.runs import import_actor
from tracker.interop.export import ExportRefused, pseudonymiser_from_settings, research_export_write
from tracker.interop.export_runs import export_run_record
from tracker.interop.selectors import export_patients
from tracker.models import Clinic, ExportFormat, ExportSource, Patient


class Command(BaseCommand):
    help = "Write the research export (CSV files, dictionary and a Frictionless data package) to a folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Folder to write; must be new or empty unless --force.")
        parser.add_argument("--pseudonymise", action="store_true", help="Keyed pseudonyms, shifted dates, no names.")
        parser.add_argument("--clinic", default="", help="Only the patients of the clinic with this code.")
        parser.add_argument("--force", action="store_true", help="Write into a folder that is not empty.")
        parser.add_argument("--user", help="Record the export under this user (default: the system user).")

    def handle(self, *args, out, pseudonymise, clinic, force, user, **options):
        if clinic and not Clinic.objects.filter(code=clinic).exists():
            codes = ", ".join(Clinic.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"--clinic: unknown clinic code {clinic!r}; allowed: {codes}.")
        try:
            pseudonymiser = pseudonymiser_from_settings() if pseudonymise else None
            outcome = research_export_write(
                Path(out), patients=Patient.objects.all(), pseudonymiser=pseudonymiser, clinic_code=clinic, force=force
            )
        except (ExportRefused, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from None
        actor = import_actor(user)
        export_run_record(
            actor=actor,
            format=ExportFormat.RESEARCH,
            source=ExportSource.COMMAND,
            counts=outcome.counts,
            pseudonymised=pseudonymise,
            clinic_code=clinic,
            options={"out": str(out), "force": force},
        )
        exported = export_patients(Patient.objects.all(), clinic_code=clinic)
        patient_reads_record(user=actor, patients=exported.only("pk", "mrn").iterator(), what="research export")
        for name, count in outcome.counts.items():
            self.stdout.write(f"{name}.csv: {count} rows")
