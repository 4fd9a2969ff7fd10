"""Sign-in landing: each role to its home."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from tracker.access import role_of
from tracker.roles import CLINICAL_ROLES, PATIENT


@login_required
def home(request):
    role = role_of(request.user)
    if role in CLINICAL_ROLES:
        return redirect("worklist")
    if role == PATIENT:
        return redirect("portal_home")
    raise PermissionDenied("Your account has no role yet; ask the clinic administrator.")
