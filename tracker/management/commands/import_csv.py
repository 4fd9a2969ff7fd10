"""import_csv KIND FILE [--dry-run] [--update] [--as USERNAME]  (INTERFACES.md section 1)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.importers import KINDS
from tracker.importers.runs import SYSTEM_USERNAME, ActorUnknown, command_run, import_actor, import_stream


class Command(BaseCommand):
    help = (
        "Import a CSV file of one kind, all or nothing. Problems are printed as 'row N, column C: message' "
        "and nothing is saved; every run is recorded as an ImportRun."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file", help="Path of the UTF-8 CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; save nothing.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Update records that exist with different values (the prior version stays in their history).",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help=f"The user recorded as author in the history (default: the system user {SYSTEM_USERNAME!r}, "
            "created on first use without a role or a usable password).",
        )

    def handle(self, *args, kind, file, dry_run, update, as_user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            actor = import_actor(as_user)
        except ActorUnknown as exc:
            raise CommandError(str(exc)) from None
        show_progress = options.get("verbosity", 1) >= 1 and self.stderr.isatty()
        with path.open("rb") as stream:
            run = command_run(
                kind=kind,
                stream=stream,
                size=path.stat().st_size,
                file_name=path.name,
                actor=actor,
                dry_run=dry_run,
                update=update,
            )
            result = import_stream(
                run,
                stream,
                on_problem=lambda problem: self.stderr.write(str(problem)),
                on_progress=(lambda rows: self.stderr.write(f"\r{rows:,} rows", ending="")) if show_progress else None,
            )
        if show_progress:
            self.stderr.write("")
        if not result.ok:
            raise CommandError(
                f"{result.problem_count} problem(s) in {result.error_rows or 'the'} row(s) of {path.name}; nothing saved."
            )
        self.stdout.write(run.summary + (" (dry run: nothing saved)" if dry_run else ""))
