"""Request guards of the accounts capability.

- `SecondFactorMiddleware`: a signed-in user who needs a second factor reaches only the sign-in
  pages (/accounts/...) and static files until verified; everything else redirects to enrolment
  or to the code page. Whether the user has a device is looked up once, at sign-in, and kept in
  the session, so a request costs no query for it (django-otp loads a verified device: one).
- `StaffIdleTimeoutMiddleware`: staff, consultants and managers are signed out after
  `POEMS_STAFF_IDLE_MINUTES` (default 30) without a request (patients have their own setting).
  The session's expiry is pushed forward at most once a minute, so the idle time is exact to
  the minute and most requests write nothing.
- `NoStoreMiddleware`: every response to a signed-in user carries `Cache-Control: no-store`, so
  no page with patient data is kept by the browser or a proxy.
"""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from tracker.access import role_of
from tracker.accounts.twofactor import second_factor_required, second_factor_step
from tracker.roles import PATIENT

DEFAULT_STAFF_IDLE_MINUTES = 30
SEEN_KEY = "poems_seen_at"
REFRESH_SECONDS = 60


def _open_prefixes() -> tuple[str, ...]:
    return ("/accounts/", "/" + settings.STATIC_URL.lstrip("/"), "/favicon")


def staff_idle_seconds() -> int:
    return 60 * int(getattr(settings, "POEMS_STAFF_IDLE_MINUTES", DEFAULT_STAFF_IDLE_MINUTES))


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
            and second_factor_required(user, request.session)
        ):
            target = reverse(second_factor_step(user))
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """The expiry is set after the view, so it also covers the request that signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated or role_of(user) == PATIENT:
            return response
        now = int(time.time())
        if now - int(session.get(SEEN_KEY, 0)) >= REFRESH_SECONDS:
            session[SEEN_KEY] = now
            session.set_expiry(staff_idle_seconds())
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
