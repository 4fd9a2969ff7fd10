"""export_fhir --out FILE [--mrn MRN]"""

from django.core.management.base import BaseCommand, CommandError

from tracker.accounts.audit import patient_reads_record
from tracker.importers.runs import import_actor
from tracker.interop.export_runs import export_run_record
from tracker.interop.fhir_bundle import bundle_write
from tracker.models import ExportFormat, ExportSource, Patient, RecordStatus


class Command(BaseCommand):
    help = "Write one FHIR R4 JSON Bundle (type collection) of every patient, or of one."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The JSON file to write ('-' for standard output).")
        parser.add_argument("--mrn", help="Only this patient.")
        parser.add_argument("--user", help="Record the export under this user (default: the system user).")

    def handle(self, *args, out, mrn, user, **options):
        patients = Patient.objects.filter(status=RecordStatus.FINAL)
        if mrn:
            patients = patients.filter(mrn=mrn)
            if not patients.exists():
                raise CommandError(f"No patient with MRN {mrn!r}.")
        if out == "-":
            written = bundle_write(patients, lambda text: self.stdout.write(text, ending=""))
            self.stdout.write("")
        else:
            with open(out, "w", encoding="utf-8") as file:
                written = bundle_write(patients, file.write)
        count = patients.count()
        actor = import_actor(user)
        patient_reads_record(user=actor, patients=patients.only("pk", "mrn").iterator(), what="fhir export")
        export_run_record(
            actor=actor,
            format=ExportFormat.FHIR,
            source=ExportSource.COMMAND,
            counts={"patients": count, "bytes": written},
            options={"out": out, "mrn": mrn or ""},
        )
        if out != "-":
            self.stdout.write(f"wrote {count} patients to {out}")
