"""The patients kind: registers patients (the only kind that may), into the importer's clinics.

A row becomes `Patient(...)` checked by the model (MRN pattern, dates, choices), as
patient_create does; an update goes through patient_update.
"""

from django.core.exceptions import ValidationError

from tracker.importers.base import Kind
from tracker.importers.columns import Column, model_column
from tracker.models import Patient, RecordStatus
from tracker.services.patients import patient_update

_COLUMNS = (
    model_column(Patient, "mrn", required=True, help="The medical record number, unique within its clinic."),
    model_column(Patient, "given_name", required=True),
    model_column(Patient, "family_name", required=True),
    model_column(Patient, "birth_date", required=True),
    model_column(Patient, "sex", required=True),
    Column(
        "clinic",
        help="The clinic's code, one of the clinics you belong to. Blank: your clinic when you belong to "
        "exactly one (the command: the first clinic); for a patient already registered, no change.",
    ),
    model_column(Patient, "diagnosis_date"),
    model_column(Patient, "light_chain", help="Blank: unknown."),
)


class PatientKind(Kind):
    name = "patients"
    model = Patient
    columns = _COLUMNS
    key_fields = ("clinic_id", "mrn")
    key_columns = ("mrn",)
    needs_patient = False
    trusted_foreign_keys = ("clinic",)
    compares = {
        "given_name": ("given_name",),
        "family_name": ("family_name",),
        "birth_date": ("birth_date",),
        "sex": ("sex",),
        "clinic": ("clinic_id",),
        "diagnosis_date": ("diagnosis_date",),
        "light_chain": ("light_chain",),
    }

    def build(self, state, engine) -> Patient:
        """A blank clinic is resolved only for a new patient (see `refuse_new`): an existing
        patient keeps their clinic, whichever clinics the importer belongs to."""
        code = state.values["clinic"]
        clinic = engine.clinic_for(code) if code else None
        if clinic is None and code:
            raise ValidationError({"clinic": engine.clinic_problem(code)})
        patient = super().build(state, engine)
        if clinic is not None:
            patient.clinic = clinic
        patient.clinic_given = bool(code)
        return patient

    def refuse_new(self, instance, engine) -> tuple[str, str] | None:
        if instance.clinic_id is None:
            if len(engine.clinic_codes()) > 1:
                held = Patient.objects.filter(mrn=instance.mrn, clinic__code__in=engine.clinic_codes())
                codes = sorted(code for code in held.values_list("clinic__code", flat=True))
                if len(codes) > 1:
                    return "mrn", (
                        f"mrn {instance.mrn} is registered in more than one of your clinics ({', '.join(codes)}); "
                        "name the clinic in the clinic column"
                    )
            clinic = engine.clinic_for("")
            if clinic is None:
                return "clinic", engine.clinic_problem("")
            instance.clinic = clinic
        return None

    def existing(self, states, engine=None) -> dict:
        """The patients with these MRNs in the importer's clinics (an MRN is unique per clinic;
        another clinic's patient with the same number is never matched, nor mentioned). A row
        without a clinic matches the one patient with its MRN in the importer's clinics."""
        clinics = engine.clinics if engine is not None else None
        found = Patient.objects.select_related("clinic").filter(mrn__in={s.instance.mrn for s in states})
        if clinics is not None:
            found = found.filter(clinic__in=list(clinics))
        records: dict = {}
        by_mrn: dict[str, list] = {}
        for record in found:
            records[(record.clinic_id, record.mrn)] = record
            by_mrn.setdefault(record.mrn, []).append(record)
        for mrn, candidates in by_mrn.items():
            if len(candidates) == 1:
                records[(None, mrn)] = candidates[0]
        return records

    def blocked(self, record, engine) -> tuple[str, str] | None:
        if record.status != RecordStatus.FINAL:
            return "mrn", f"mrn {record.mrn} belongs to a patient record marked entered in error; use another MRN"
        if not engine.may_see(record):
            return "mrn", f"mrn {record.mrn} is registered in a clinic you do not belong to"
        return None

    def _columns(self, instance, header):
        return [c for c in header if c != "clinic" or getattr(instance, "clinic_given", True)]

    def differences(self, record, instance, header):
        return super().differences(record, instance, self._columns(instance, header))

    def shown(self, record, column: str) -> str:
        if column == "clinic":
            return record.clinic.code
        return super().shown(record, column)

    def changes(self, instance, header) -> dict:
        changes = super().changes(instance, self._columns(instance, header))
        if "clinic_id" in changes:
            changes["clinic"] = instance.clinic
            del changes["clinic_id"]
        return changes

    def update(self, record, instance, *, header, actor) -> None:
        patient_update(patient=record, actor=actor, **self.changes(instance, header))

    def patient_id(self, instance) -> None:
        """Registering a patient raises no flag, as with patient_create: nothing to evaluate."""
        return None
