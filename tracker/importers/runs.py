"""Audited import runs: every command run and every web upload leaves an ImportRun row.

The audit row is written outside the import's transaction, so a rejected file or a dry run
is recorded too, while none of its rows are.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Generator
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from tracker.access import patients_visible_to
from tracker.importers import KINDS
from tracker.importers.engine import Importer, ImportResult, drain
from tracker.importers.reader import FileRejected, Problem, open_rows
from tracker.models import ImportRun, ImportSource, ImportStatus
from tracker.text_checks import printable

SYSTEM_USERNAME = "import"


class ActorUnknown(ValueError):
    pass


class AlreadyHandled(RuntimeError):
    pass


def import_actor(username: str | None = None):
    """The user recorded in history: `username`, else the system user 'import'.

    The system user is created on first use with no role and no usable password, so it can
    never sign in; it only names the command in the audit trail.
    """
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise ActorUnknown(f"No user named {username!r}.") from None
    user, created = User.objects.get_or_create(username=SYSTEM_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def import_stream(
    run: ImportRun,
    stream: BinaryIO,
    *,
    patients=None,
    clinics=None,
    keep_outcomes: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Run (or with run.dry_run, check) the import of `stream` and record the outcome on `run`."""
    return drain(
        import_steps(
            run,
            stream,
            patients=patients,
            clinics=clinics,
            keep_outcomes=keep_outcomes,
            on_problem=on_problem,
            on_progress=on_progress,
        )
    )


def import_steps(
    run: ImportRun,
    stream: BinaryIO,
    *,
    patients=None,
    clinics=None,
    keep_outcomes: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Generator[int, None, ImportResult]:
    """`import_stream`, yielding the rows handled so far after each chunk."""
    kind = KINDS[run.kind]
    run.status = ImportStatus.RUNNING
    run.save()
    try:
        # The upload limit protects the web servers' memory; the command line streams a file of
        # any size (IMPORT_COMMAND_MAX_BYTES, unset by default) in chunks, still all or nothing.
        limit = settings.IMPORT_MAX_BYTES if run.source == ImportSource.WEB else settings.IMPORT_COMMAND_MAX_BYTES
        rows = open_rows(stream, size=run.file_size, limit=limit, required=kind.required, optional=kind.optional)
        importer = Importer(
            kind,
            actor=run.actor,
            update=run.update_existing,
            patients=patients,
            clinics=clinics,
            keep_outcomes=keep_outcomes,
            on_problem=on_problem,
            on_progress=on_progress,
        )
        result = yield from importer.run_steps(rows, dry_run=run.dry_run)
    except FileRejected as exc:
        result = ImportResult(problem_count=len(exc.problems), problems=exc.problems)
        for problem in exc.problems:
            if on_problem:
                on_problem(problem)
    except BaseException:
        # Nothing was saved (the import's transaction rolled back); the audit row says so and
        # lets go of the file, instead of staying 'running' for ever.
        run.status, run.file_bytes, run.finished_at = ImportStatus.FAILED, None, timezone.now()
        run.save(update_fields=["status", "file_bytes", "finished_at"])
        raise
    _record(run, result)
    return result


def _record(run: ImportRun, result: ImportResult) -> None:
    run.row_count, run.created_count = result.rows, result.created
    run.unchanged_count, run.updated_count = result.unchanged, result.updated
    run.error_count = result.problem_count
    run.errors = [problem.as_json() for problem in result.problems]
    run.outcomes = result.outcomes.decode("ascii")
    run.check_seconds = round(result.seconds, 3)
    run.finished_at = timezone.now()
    if result.saved:
        run.status = ImportStatus.IMPORTED
    elif run.source == ImportSource.WEB:
        run.status = ImportStatus.PREVIEWED
    else:
        run.status = ImportStatus.CHECKED if result.ok else ImportStatus.FAILED
    run.save()


def command_run(*, kind: str, stream: BinaryIO, size: int, file_name: str, actor, dry_run: bool, update: bool):
    return ImportRun(
        kind=kind,
        source=ImportSource.COMMAND,
        actor=actor,
        file_name=printable(file_name)[:255],
        file_size=size,
        file_sha256=sha256_of(stream) if size <= settings.IMPORT_MAX_BYTES else "",
        dry_run=dry_run,
        update_existing=update,
    )


def web_preview(*, user, kind: str, file_name: str, data: bytes, update: bool) -> ImportRun:
    """Store the upload on a new run and check it (a dry run); earlier unconfirmed uploads of
    this user are discarded with their bytes. Costs one full pass of the import, rolled back."""
    run = web_upload(user=user, kind=kind, file_name=file_name, data=data, update=update)
    drain(web_import_steps(run, user))
    return run


def web_upload(*, user, kind: str, file_name: str, data: bytes, update: bool) -> ImportRun:
    """Store the upload on a new run, not yet checked (web_import_steps checks it)."""
    ImportRun.objects.filter(actor=user, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.DISCARDED, file_bytes=None
    )
    run = ImportRun(
        kind=kind,
        source=ImportSource.WEB,
        actor=user,
        file_name=printable(file_name)[:255],
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_bytes=data,
        dry_run=True,
        update_existing=update,
    )
    run.save()
    return run


def web_confirm(run: ImportRun, user) -> ImportResult:
    """Import a previewed file for real, re-checking every row inside the transaction.

    The database may have changed since the preview; then the new problems are shown and
    nothing is saved, exactly as on the first check. The run is claimed with one conditional
    UPDATE first, so two clicks (or two servers) cannot both import it.
    """
    web_claim(run)
    return drain(web_confirm_steps(run, user))


def web_claim(run: ImportRun) -> None:
    """Claim a previewed run for saving with one conditional UPDATE; AlreadyHandled if another
    click or server got there first."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED, error_count=0).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        raise AlreadyHandled(f"Import {run.pk} is no longer waiting for confirmation.")


def web_confirm_steps(run: ImportRun, user) -> Generator[int, None, ImportResult]:
    """Save a claimed run, yielding progress; see web_confirm."""
    run.dry_run = False
    result = yield from web_import_steps(run, user)
    if result.saved:
        run.file_bytes = None
        run.confirmed_at = timezone.now()
        run.save(update_fields=["file_bytes", "confirmed_at"])
    else:
        run.dry_run = True
        run.save(update_fields=["dry_run"])
    return result


def web_discard(run: ImportRun) -> None:
    run.status, run.file_bytes = ImportStatus.DISCARDED, None
    run.save(update_fields=["status", "file_bytes"])


def web_import_steps(run: ImportRun, user) -> Generator[int, None, ImportResult]:
    """Check (dry run) or save the run's stored file as `user`, yielding progress."""
    return import_steps(
        run,
        io.BytesIO(bytes(run.file_bytes)),
        patients=patients_visible_to(user),
        clinics=list(user.clinics.all()),
        keep_outcomes=True,
    )


def runs_of(user, limit: int = 10):
    """The user's latest imports for the import page. One query."""
    return ImportRun.objects.filter(actor=user).defer("file_bytes", "outcomes", "errors")[:limit]


def run_for(user, pk) -> ImportRun:
    """The run `pk` if `user` started it; ImportRun.DoesNotExist otherwise (the view 404s)."""
    return ImportRun.objects.get(pk=pk, actor=user)
