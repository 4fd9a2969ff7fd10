"""Who may see what: the one place that decides which patients a user may see.

Every staff view and export fetches patients through `patients_visible_to` or
`get_patient_for`; the patient portal never takes a patient ID from the URL and uses
`own_patient` instead.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tracker.models import Patient
from tracker.roles import CAPABILITIES, CLINICAL_ROLES, COHORT, CONSULTANT, EXPORT, PATIENT, PORTAL, RECORD, STAFF


def role_of(user) -> str:
    """'staff', 'consultant', 'patient' or '' (no role). Cached on the user for the request."""
    if not user.is_authenticated:
        return ""
    cached = getattr(user, "_poems_role", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = next((role for role in (CONSULTANT, STAFF, PATIENT) if role in names), "")
        user._poems_role = cached
        user._poems_groups = names
    return cached


def is_clinical(user) -> bool:
    return can(user, RECORD)


def is_consultant(user) -> bool:
    return role_of(user) == CONSULTANT


def patients_visible_to(user) -> QuerySet[Patient]:
    """The patients `user` may see: clinical users their clinics' patients, a patient itself."""
    role = role_of(user)
    if role in CLINICAL_ROLES:
        return Patient.objects.filter(clinic__members=user)
    if role == PATIENT:
        return Patient.objects.filter(user=user)
    return Patient.objects.none()


def get_patient_for(user, pk) -> Patient:
    """The patient `pk` if `user` may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return patients_visible_to(user).select_related("clinic").get(pk=pk)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def own_patient(user) -> Patient:
    """The patient record linked to a patient account."""
    if role_of(user) != PATIENT:
        raise PermissionDenied
    try:
        return Patient.objects.get(user=user)
    except Patient.DoesNotExist:
        raise PermissionDenied from None


def can(user, capability: str) -> bool:
    """Whether `user`'s role has `capability` (roles.CAPABILITIES). No query once the role is cached."""
    return capability in CAPABILITIES.get(role_of(user), frozenset())


def capability_required(capability: str):
    """The one permission check of every view decorator: signed in (else to the sign-in page)
    and the role has `capability` (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Signed-in staff or consultants only; patients and users without a role get 403.
clinical_required = capability_required(RECORD)
# Consultants only: pages across patients.
consultant_required = capability_required(COHORT)
# Patients only: their own pages.
patient_required = capability_required(PORTAL)
# Users who may export: research exports of their own clinics.
export_required = capability_required(EXPORT)


def may_export(user) -> bool:
    """Whether `user` may download research exports (the "export" capability: consultants)."""
    return can(user, EXPORT)
