"""The ncs kind: one row per nerve/side/kind/site, grouped into one study per patient and date.

A study already recorded for that patient and date is reused; a new one is created through
save_validated on the first row that needs it. `lab` and `temperature_c` belong to the study:
every row of one study must agree on them (a blank cell agrees with anything).
"""

from django.core.exceptions import ValidationError

from tracker.importers.base import Kind, problems_from, show
from tracker.importers.columns import model_column
from tracker.importers.records import CLINIC, MRN
from tracker.models import NerveConductionResult, NerveConductionStudy, RecordStatus
from tracker.models.ncs import MOTOR_NERVES, SENSORY_NERVES
from tracker.services.common import record_update, save_validated

Result, Study = NerveConductionResult, NerveConductionStudy
STUDY_COLUMNS = ("lab", "temperature_c")

_COLUMNS = (
    MRN,
    model_column(Study, "study_date", required=True),
    model_column(
        Result,
        "nerve",
        required=True,
        help=f"Motor rows: {', '.join(MOTOR_NERVES)}; sensory rows: {', '.join(SENSORY_NERVES)}.",
    ),
    model_column(Result, "side", required=True),
    model_column(Result, "kind", required=True),
    model_column(Result, "site", help="Stimulation site. Blank: distal."),
    model_column(Result, "cmap_amp_mv", help="Motor rows."),
    model_column(Result, "dml_ms", help="Motor rows, distal site."),
    model_column(Result, "cv_ms"),
    model_column(Result, "f_min_latency_ms", help="Motor rows."),
    model_column(Result, "snap_amp_uv", help="Sensory rows."),
    model_column(Result, "absent", help="true when no response could be recorded. Blank: false."),
    model_column(Study, "lab", help="The neurophysiology lab; one per study."),
    model_column(Study, "temperature_c", help="Limb temperature, one per study."),
    CLINIC,
)


class NcsImportKind(Kind):
    name = "ncs"
    model = Result
    columns = _COLUMNS
    key_fields = ("study_id", "nerve", "side", "kind", "site")
    key_columns = ("mrn", "study_date", "nerve", "side", "kind", "site")
    trusted_foreign_keys = ("study",)
    also_creates = (Study,)
    compares = {
        column.name: (column.field.name,)
        for column in _COLUMNS
        if column.field is not None
        and column.field.model is Result
        and column.name not in ("nerve", "side", "kind", "site")
    }

    def prepare_chunk(self, states, engine) -> None:
        """Find or create the study of every row: one query for the chunk, one save per new study."""
        wanted = [s for s in states if s.ok]
        found = Study.objects.filter(
            status=RecordStatus.FINAL,
            patient_id__in={s.patient.pk for s in wanted},
            study_date__in={s.values["study_date"] for s in wanted},
        )
        studies = {(study.patient_id, study.study_date): study for study in found}
        for state in wanted:
            key = (state.patient.pk, state.values["study_date"])
            study = studies.get(key)
            if study is None:
                study = Study(
                    patient=state.patient,
                    study_date=state.values["study_date"],
                    lab=state.values["lab"],
                    temperature_c=state.values["temperature_c"],
                )
                try:
                    save_validated(study, actor=engine.actor)
                except ValidationError as exc:
                    for column, message in problems_from(exc, self):
                        state.fail(column, message)
                    continue
                studies[key] = study
            self._agree(state, study, engine)
            state.values["study"] = study

    def _agree(self, state, study, engine) -> None:
        """Check (or with update, apply) the row's study-level values against the study's."""
        changes = {
            column: state.values[column]
            for column in STUDY_COLUMNS
            if column in engine.header
            and state.values[column] not in ("", None)
            and state.values[column] != getattr(study, column)
        }
        if not changes:
            return
        if engine.update and not engine.created_in_run(study):
            try:
                record_update(record=study, actor=engine.actor, evaluate=False, **changes)
            except ValidationError as exc:
                for column, message in problems_from(exc, self):
                    state.fail(column, message)
                return
            state.extra_update = True
            return
        for column, value in changes.items():
            where = "an earlier row of this file" if engine.created_in_run(study) else "the record"
            state.fail(
                column,
                f"the study of {study.study_date.isoformat()} has {column} {show(getattr(study, column))!r} in "
                f"{where}, {show(value)!r} here; one study has one {column}"
                + ("" if engine.created_in_run(study) else engine.update_hint),
            )

    def build(self, state, engine) -> Result:
        values = {
            column.field.name: state.values[column.name]
            for column in self.columns
            if column.field is not None and column.field.model is Result and column.name in engine.header
        }
        return Result(study=state.values["study"], **values)

    def existing(self, states, engine=None) -> dict:
        found = Result.objects.filter(status=RecordStatus.FINAL, study_id__in={s.instance.study_id for s in states})
        return {self.key(record): record for record in found}

    def patient_id(self, instance) -> int:
        return instance.study.patient_id
