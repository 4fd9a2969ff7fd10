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
from tracker.roles import CLINICAL_ROLES, CONSULTANT, PATIENT, STAFF


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
    return role_of(user) in CLINICAL_ROLES


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


def clinical_required(view):
    """Signed-in staff or consultants only; patients and users without a role get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_clinical(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def consultant_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_consultant(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def patient_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if role_of(request.user) != PATIENT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
