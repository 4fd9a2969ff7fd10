"""The one import engine behind the command and the web page.

Rows stream through in chunks of CHUNK_ROWS. Per chunk: one query for the patients named,
each row built and checked by the kind's builder and the model's full_clean (the checks of
manual entry), one query for the existing records with those natural keys, then one bulk
INSERT of the new records and one of their history rows. Updates go one by one through the
services (they are rare). Flags are evaluated once per affected patient at the end.

Everything runs in one transaction: any problem, or a dry run, rolls all of it back, so a
dry run (the web preview) does exactly what the import would, row for row. Memory stays flat
with the file: nothing is kept per row except one byte of outcome for the web preview.

Duplicates of a natural key inside one file are allowed only with identical values. Rows of
earlier chunks are recognised without remembering them: their records have primary keys
above the high-water mark taken when the run started.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from tracker.importers.base import Kind, RowState, problems_from
from tracker.importers.reader import CsvRows, FileRejected, Problem
from tracker.models import Clinic, Patient, RecordStatus
from tracker.selectors import patients_rule_data
from tracker.services.bulk import records_bulk_create
from tracker.services.common import record_prepare
from tracker.services.flags import flags_refresh
from tracker.services.patients import clinic_default, demo_accounts_retire

T = TypeVar("T")

CHUNK_ROWS = 1000
FLAG_BATCH = 10
PATIENT_CACHE = 5000
KEEP_PROBLEMS = 5000
CREATED, UNCHANGED, UPDATED, ERROR, BLANK = "c", "u", "p", "e", "-"
UPDATE_HINT = (
    "; to replace it, import with update switched on (--update); the earlier version stays in the record's history"
)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    updated: int = 0
    error_rows: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    outcomes: bytearray = field(default_factory=bytearray)
    seconds: float = 0.0
    saved: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def drain(steps: Generator[object, None, T]) -> T:
    """Run a generator of progress steps to its end and return its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


class Importer:
    """One run of one kind. `patients`/`clinics` restrict what a web user may touch (None: all)."""

    update_hint = UPDATE_HINT

    def __init__(
        self,
        kind: Kind,
        *,
        actor,
        update: bool = False,
        patients=None,
        clinics: list[Clinic] | None = None,
        keep_outcomes: bool = False,
        on_problem: Callable[[Problem], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ):
        self.kind, self.actor, self.update = kind, actor, update
        self.visible = patients
        self.patients = (patients if patients is not None else Patient.objects.all()).filter(status=RecordStatus.FINAL)
        self.clinics = clinics
        self.keep_outcomes = keep_outcomes
        self.on_problem, self.on_progress = on_problem, on_progress
        self.result = ImportResult()
        self.header = ()
        self.updated_keys: set = set()
        self.affected: set[int] = set()
        self._marks: dict = {}
        self._clinic_map: dict[str, Clinic] | None = None
        self._known: dict[str, list[Patient]] = {}
        self._visible_ids: set[int] | None = None

    def run(self, rows: CsvRows, *, dry_run: bool) -> ImportResult:
        return drain(self.run_steps(rows, dry_run=dry_run))

    def run_steps(self, rows: CsvRows, *, dry_run: bool) -> Generator[int, None, ImportResult]:
        """`run`, yielding the number of rows handled after each chunk (for a progress bar).

        The whole run is one transaction: stopping the generator early (a client that went
        away) leaves the atomic block by an exception, so nothing is saved.
        """
        started = time.monotonic()
        self.header = rows.header.columns
        with transaction.atomic():
            self._marks = {
                model: model.objects.aggregate(top=Max("pk"))["top"] or 0
                for model in (self.kind.model, *self.kind.also_creates)
            }
            try:
                yield from self._stream(rows)
            except FileRejected as exc:
                for problem in exc.problems:
                    self._problem(problem)
            if self.result.rows == 0 and self.result.ok:
                self._problem(Problem(1, "", "the file has a header but no data rows"))
            if self.result.ok and not dry_run:
                self._evaluate_flags()
                if self.kind.model is Patient and self.result.created:
                    demo_accounts_retire()
                self.result.saved = True
            else:
                transaction.set_rollback(True)
        self.result.seconds = time.monotonic() - started
        return self.result

    def _stream(self, rows: CsvRows) -> Iterator[int]:
        chunk: list[RowState] = []
        for number, cells, problem in rows:
            if self.keep_outcomes:
                self.result.outcomes.append(ord(BLANK))
            if cells is None and not problem:
                continue
            self.result.rows += 1
            problems = [problem if isinstance(problem, tuple) else ("", problem)] if problem else []
            chunk.append(RowState(number, cells or {}, problems=problems))
            if len(chunk) >= CHUNK_ROWS:
                self._chunk(chunk)
                chunk = []
                yield self.result.rows
        if chunk:
            self._chunk(chunk)
            yield self.result.rows

    def _chunk(self, states: list[RowState]) -> None:
        kind = self.kind
        for state in states:
            if state.ok:
                kind.parse(state, self.header)
        if kind.needs_patient:
            self._resolve_patients(states)
        kind.prepare_chunk(states, self)
        built = [state for state in states if state.ok and self._build(state)]
        existing = kind.existing(built, self) if built else {}
        seen: dict[tuple, RowState] = {}
        pending: list[RowState] = []
        for state in built:
            outcome = self._classify(state, existing, seen)
            if outcome == CREATED:
                pending.append(state)
            elif outcome in (UPDATED, UNCHANGED):
                self._count(state, outcome)
        self._insert(pending)
        for state in states:
            if not state.ok:
                self._count(state, ERROR)
        if self.on_progress:
            self.on_progress(self.result.rows)

    def _resolve_patients(self, states: list[RowState]) -> None:
        """One query per chunk for the MRNs not met before; a bounded cache keeps the rest.

        An MRN is unique per clinic: among the patients the importer may see, the row's
        `clinic` cell (if any) picks the clinic, and an MRN held in more than one of the
        importer's clinics asks for it. Patients of other clinics are never mentioned."""
        wanted = {s.values.get("mrn") for s in states if s.values.get("mrn")}
        mrns = wanted - self._known.keys()
        if len(self._known) + len(mrns) > PATIENT_CACHE:
            self._known, mrns = {}, wanted
        if mrns:
            self._known.update((mrn, []) for mrn in mrns)
            for p in self.patients.filter(mrn__in=mrns).select_related("clinic"):
                self._known[p.mrn].append(p)
        for state in states:
            mrn = state.values.get("mrn")
            if not mrn:
                continue
            code = (state.values.get("clinic") or "").strip()
            if code and code.lower() not in self._clinics():
                state.fail("clinic", self.clinic_problem(code))
                continue
            found = [p for p in self._known.get(mrn, []) if not code or p.clinic.code.lower() == code.lower()]
            if len(found) == 1:
                state.patient = found[0]
            elif found:
                codes = ", ".join(sorted(p.clinic.code for p in found))
                state.fail(
                    "mrn",
                    f"mrn {mrn!r} is registered in more than one of your clinics ({codes}); "
                    "add a clinic column naming the clinic",
                )
            else:
                state.fail(
                    "mrn", f"unknown mrn {mrn!r}; register the patient first (no patient is ever created implicitly)"
                )

    def _build(self, state: RowState) -> bool:
        try:
            instance = self.kind.build(state, self)
            record_prepare(
                instance, actor=self.actor, exclude=list(self.kind.trusted_foreign_keys), check_constraints=False
            )
        except ValidationError as exc:
            for column, message in problems_from(exc, self.kind):
                state.fail(column, message)
            return False
        state.instance, state.key = instance, self.kind.key(instance)
        return True

    def _classify(self, state: RowState, existing: dict, seen: dict) -> str:
        kind, key = self.kind, state.key
        earlier = seen.get(key)
        if earlier is not None:
            for column, in_earlier, here in kind.differences(earlier.instance, state.instance, self.header):
                state.fail(
                    column,
                    f"row {earlier.number} has the same {kind.describe_key()} with {in_earlier!r}; this row says "
                    f"{here!r} (one file may repeat a record only with the same values)",
                )
            return UNCHANGED if state.ok else ERROR
        record = existing.get(key)
        if record is None:
            refused = kind.refuse_new(state.instance, self)
            if refused:
                state.fail(*refused)
                return ERROR
            seen[key] = state
            return CREATED
        blocked = kind.blocked(record, self)
        if blocked:
            state.fail(*blocked)
            return ERROR
        seen[key] = state
        diffs = kind.differences(record, state.instance, self.header)
        if not diffs:
            return UPDATED if state.extra_update else UNCHANGED
        if self.created_in_run(record) or key in self.updated_keys:
            for column, in_earlier, here in diffs:
                state.fail(
                    column,
                    f"an earlier row of this file has the same {kind.describe_key()} with {in_earlier!r}; this row "
                    f"says {here!r} (one file may repeat a record only with the same values)",
                )
            return ERROR
        if not self.update:
            for column, on_record, in_file in diffs:
                state.fail(
                    column,
                    f"already recorded as {on_record!r} for this {kind.describe_key()}; the file says {in_file!r}"
                    + self.update_hint,
                )
            return ERROR
        try:
            kind.update(record, state.instance, header=self.header, actor=self.actor)
        except ValidationError as exc:
            for column, message in problems_from(exc, kind):
                state.fail(column, message)
            return ERROR
        self.updated_keys.add(key)
        state.instance = record
        return UPDATED

    def _insert(self, pending: list[RowState]) -> None:
        if not pending:
            return
        try:
            with transaction.atomic():
                records_bulk_create(
                    self.kind.model, [s.instance for s in pending], actor=self.actor, batch_size=CHUNK_ROWS
                )
        except IntegrityError as exc:
            first, last = pending[0].number, pending[-1].number
            for state in pending:
                self._outcome(state.number, ERROR)
            self.result.error_rows += len(pending)
            self._problem(Problem(first, "", f"the database refused rows {first} to {last}: {exc}"))
            return
        for state in pending:
            self._count(state, CREATED)

    def _count(self, state: RowState, outcome: str) -> None:
        if outcome == ERROR or not state.ok:
            self.result.error_rows += 1
            for column, message in state.problems:
                self._problem(Problem(state.number, column, message))
            self._outcome(state.number, ERROR)
            return
        self._outcome(state.number, outcome)
        if outcome == UNCHANGED:
            self.result.unchanged += 1
            return
        if outcome == CREATED:
            self.result.created += 1
        else:
            self.result.updated += 1
        patient_id = self.kind.patient_id(state.instance)
        if patient_id is not None:
            self.affected.add(patient_id)

    def _outcome(self, number: int, outcome: str) -> None:
        if self.keep_outcomes:
            self.result.outcomes[number - 1] = ord(outcome)

    def _problem(self, problem: Problem) -> None:
        self.result.problem_count += 1
        if len(self.result.problems) < KEEP_PROBLEMS:
            self.result.problems.append(problem)
        if self.on_problem:
            self.on_problem(problem)

    def _evaluate_flags(self) -> None:
        """Each affected patient once, after the last row, not once per row as manual entry does.

        Series are loaded FLAG_BATCH patients at a time: seven queries per batch instead of seven
        per patient, and memory bounded by ten patients' records, not by the file.
        """
        ids = sorted(self.affected)
        for start in range(0, len(ids), FLAG_BATCH):
            batch = list(Patient.objects.filter(pk__in=ids[start : start + FLAG_BATCH]).order_by("pk"))
            series = patients_rule_data(batch)
            for patient in batch:
                flags_refresh(patient, data=series[patient.pk])

    def created_in_run(self, record) -> bool:
        return record.pk > self._marks.get(type(record), record.pk)

    def may_see(self, patient: Patient) -> bool:
        """Whether the importing user may see `patient`; the visible ids are read once."""
        if self.visible is None:
            return True
        if self._visible_ids is None:
            self._visible_ids = set(self.visible.values_list("pk", flat=True))
        return patient.pk in self._visible_ids or self.created_in_run(patient)

    def clinic_for(self, code: str) -> Clinic | None:
        clinics = self._clinics()
        if not code:
            if self.clinics is None:
                return clinic_default()
            return clinics[next(iter(clinics))] if len(clinics) == 1 else None
        return clinics.get(code.lower())

    def clinic_codes(self) -> list[str]:
        """The codes of the clinics this import may register patients in (all, for the command)."""
        return [clinic.code for clinic in self._clinics().values()]

    def clinic_problem(self, code: str) -> str:
        allowed = ", ".join(self._clinics()) or "none"
        if not code:
            return f"name the clinic; yours: {allowed}"
        return f"unknown clinic {code!r}; allowed: {allowed}"

    def _clinics(self) -> dict[str, Clinic]:
        if self._clinic_map is None:
            clinics = self.clinics if self.clinics is not None else Clinic.objects.all()
            self._clinic_map = {clinic.code.lower(): clinic for clinic in clinics}
        return self._clinic_map
