"""Request guards of the accounts capability.

- `SecondFactorMiddleware`: a signed-in user who needs a second factor reaches only the sign-in
  pages (/accounts/...) and static files until verified; everything else redirects to enrolment
  or to the code page. Costs one query per request of a not-yet-verified user, none after.
- `StaffIdleTimeoutMiddleware`: staff, consultants and managers are signed out after
  `POEMS_STAFF_IDLE_MINUTES` (default 30) without a request (patients have their own setting).
  Costs one session write per request.
- `NoStoreMiddleware`: every response to a signed-in user carries `Cache-Control: no-store`, so
  no page with patient data is kept by the browser or a proxy.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from tracker.access import role_of
from tracker.accounts.twofactor import second_factor_required, second_factor_step
from tracker.roles import PATIENT

DEFAULT_STAFF_IDLE_MINUTES = 30


def _open_prefixes() -> tuple[str, ...]:
    return ("/accounts/", "/" + settings.STATIC_URL.lstrip("/"), "/favicon")


class SecondFactorMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_open_prefixes())
            and second_factor_required(user)
        ):
            target = reverse(second_factor_step(user))
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def staff_idle_seconds() -> int:
    return 60 * int(getattr(settings, "POEMS_STAFF_IDLE_MINUTES", DEFAULT_STAFF_IDLE_MINUTES))


class StaffIdleTimeoutMiddleware:
    """The expiry is set after the view, so it also covers the request that signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and role_of(user) != PATIENT
            and request.session.session_key
        ):
            request.session.set_expiry(staff_idle_seconds())
        return response


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
