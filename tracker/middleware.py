"""Sign patients out after a period of inactivity.

A phone is easily lost or shared, so a patient's session ends after
`POEMS_PATIENT_IDLE_SECONDS` (default 30 minutes) without a request; every request starts the
period again. Staff keep SESSION_COOKIE_AGE. The cost: one session write per patient request.
"""

from django.conf import settings

from tracker.access import role_of
from tracker.roles import PATIENT

DEFAULT_PATIENT_IDLE_SECONDS = 30 * 60


def patient_idle_seconds() -> int:
    return int(getattr(settings, "POEMS_PATIENT_IDLE_SECONDS", DEFAULT_PATIENT_IDLE_SECONDS))


class PatientIdleTimeoutMiddleware:
    """Runs after AuthenticationMiddleware. The expiry is set after the view, so it also covers
    the request that signed the patient in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and hasattr(request, "session") and role_of(user) == PATIENT:
            request.session.set_expiry(patient_idle_seconds())
        return response
