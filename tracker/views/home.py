"""Sign-in landing: each role to its home."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from tracker.access import role_of
from tracker.accounts.clinic_admin import is_clinic_manager
from tracker.roles import CLINICAL_ROLES, PATIENT


@login_required
def home(request):
    role = role_of(request.user)
    if role in CLINICAL_ROLES:
        return redirect("worklist")
    if role == PATIENT:
        return redirect("portal_home")
    if is_clinic_manager(request.user):
        return redirect("manage_home")
    raise PermissionDenied("Your account has no role yet; ask the clinic administrator.")
