"""import_fhir FILE [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.importers.runs import ActorUnknown, import_actor
from tracker.interop.fhir_import import fhir_import


class Command(BaseCommand):
    help = (
        "Import a FHIR R4 Bundle (Patient, Observation, QuestionnaireResponse, Procedure, MedicationStatement, "
        "AdverseEvent, Condition, ServiceRequest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, save nothing.")
        parser.add_argument("--user", help="Record the import under this user (default: the system user).")

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            actor = import_actor(user)
        except ActorUnknown as exc:
            raise CommandError(str(exc)) from None
        result = fhir_import(path.read_bytes(), actor=actor, dry_run=dry_run, file_name=path.name)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s); nothing was saved.")
        for line in result.summary_lines():
            self.stdout.write(line + (" (dry run: nothing saved)" if dry_run else ""))
