"""Patients, clinics and the diagnostic checklist."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from tracker.models import Clinic, DiagnosticChecklist, Patient
from tracker.services.common import save_validated

DEFAULT_CLINIC_CODE = "main"
DEMO_CLINIC_CODE = "demo"
DEMO_USERNAMES = ("staff", "consultant", "patient")


DEMO_RETIRED_MESSAGE = (
    "The demo accounts were switched off when the first real patient was registered. "
    "Sign in with your own account; the clinic administrator can create one for you."
)


def _demo_accounts():
    """The published demo sign-ins: their usernames, in the demo clinic or linked to a demo patient."""
    demo = Q(clinics__code=DEMO_CLINIC_CODE) | Q(patient_profile__is_demo=True)
    return get_user_model().objects.filter(demo, username__in=DEMO_USERNAMES)


def demo_accounts_active() -> list[str]:
    """Usernames of the demo sign-ins still switched on (one query); empty once a real patient exists."""
    return sorted(set(_demo_accounts().filter(is_active=True).values_list("username", flat=True)))


def demo_account_retired(username: str) -> bool:
    """Whether `username` names a demo sign-in that was switched off (one query, none for other names).
    The sign-in page uses it to say why a published demo login no longer works."""
    if username not in DEMO_USERNAMES:
        return False
    return _demo_accounts().filter(username=username, is_active=False).exists()


def demo_accounts_retire() -> int:
    """Switch off the published demo sign-ins once the database holds a real patient.

    Only the demo accounts themselves are switched off; one UPDATE, a no-op once done.
    Returns how many were switched off.
    """
    accounts = _demo_accounts().filter(is_active=True)
    return get_user_model().objects.filter(pk__in=list(accounts.values_list("pk", flat=True))).update(is_active=False)


def clinic_default() -> Clinic:
    """The clinic used when none is named: the first one, or a new 'Main clinic'. Never the
    demo clinic, whose sign-ins are published: real patients and staff must not land there."""
    clinic = Clinic.objects.exclude(code=DEMO_CLINIC_CODE).order_by("id").first()
    if clinic is None:
        clinic = Clinic.objects.create(code=DEFAULT_CLINIC_CODE, name="Main clinic")
    return clinic


@transaction.atomic
def patient_create(*, actor, clinic: Clinic | None = None, is_demo: bool = False, **fields) -> Patient:
    patient = Patient(clinic=clinic or clinic_default(), is_demo=is_demo, **fields)
    save_validated(patient, actor=actor)
    if not is_demo:
        demo_accounts_retire()
    return patient


@transaction.atomic
def patient_update(
    *, patient: Patient, actor, evaluate: bool = True, expected_version: int | None = None, **fields
) -> Patient:
    """Change a patient's details; flags are re-evaluated because some rules depend on them
    (the sex-specific haemoglobin limits, for one). A stale `expected_version` is refused."""
    for name, value in fields.items():
        setattr(patient, name, value)
    save_validated(patient, actor=actor, expected_version=expected_version)
    if evaluate:
        from tracker.services.flags import flags_refresh

        flags_refresh(patient)
    return patient


@transaction.atomic
def checklist_save(*, patient: Patient, actor, expected_version: int | None = None, **fields) -> DiagnosticChecklist:
    checklist = DiagnosticChecklist.objects.filter(patient=patient).first() or DiagnosticChecklist(patient=patient)
    for name, value in fields.items():
        setattr(checklist, name, value)
    save_validated(checklist, actor=actor, expected_version=expected_version)
    return checklist
