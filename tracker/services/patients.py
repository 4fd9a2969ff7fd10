"""Patients, clinics and the diagnostic checklist."""

from django.db import transaction

from tracker.models import Clinic, DiagnosticChecklist, Patient
from tracker.services.common import save_validated

DEFAULT_CLINIC_CODE = "main"


def clinic_default() -> Clinic:
    """The clinic used when none is named: the first one, or a new 'Main clinic'."""
    clinic = Clinic.objects.order_by("id").first()
    if clinic is None:
        clinic = Clinic.objects.create(code=DEFAULT_CLINIC_CODE, name="Main clinic")
    return clinic


@transaction.atomic
def patient_create(*, actor, clinic: Clinic | None = None, is_demo: bool = False, **fields) -> Patient:
    patient = Patient(clinic=clinic or clinic_default(), is_demo=is_demo, **fields)
    save_validated(patient, actor=actor)
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, actor, evaluate: bool = True, **fields) -> Patient:
    """Change a patient's details; flags are re-evaluated because some rules depend on them
    (the sex-specific haemoglobin limits, for one)."""
    for name, value in fields.items():
        setattr(patient, name, value)
    save_validated(patient, actor=actor)
    if evaluate:
        from tracker.services.flags import flags_evaluate_for_patient

        flags_evaluate_for_patient(patient)
    return patient


@transaction.atomic
def checklist_save(*, patient: Patient, actor, **fields) -> DiagnosticChecklist:
    checklist = DiagnosticChecklist.objects.filter(patient=patient).first() or DiagnosticChecklist(patient=patient)
    for name, value in fields.items():
        setattr(checklist, name, value)
    save_validated(checklist, actor=actor)
    return checklist
