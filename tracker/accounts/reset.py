"""Password reset, throttled per address and per account.

Counted in the database (`PasswordResetRequest`), so the limits hold across processes and
servers. Over the address limit the page answers 429; over the account limit it answers as
usual but sends nothing, so the throttle never reveals whether an address has an account.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from tracker.accounts.audit import client_ip
from tracker.models.accounts import PasswordResetRequest

DEFAULT_RESET_PER_ADDRESS = 10
DEFAULT_RESET_PER_ACCOUNT = 3
WINDOW = timedelta(hours=1)


def reset_limits() -> tuple[int, int]:
    """(per address, per account) requests allowed per hour."""
    return (
        int(getattr(settings, "POEMS_RESET_PER_ADDRESS_HOURLY", DEFAULT_RESET_PER_ADDRESS)),
        int(getattr(settings, "POEMS_RESET_PER_ACCOUNT_HOURLY", DEFAULT_RESET_PER_ACCOUNT)),
    )


def reset_request_allowed(*, ip_address: str | None, email: str) -> tuple[bool, bool]:
    """(address allowed, account allowed) for one more request in the last hour: two queries."""
    per_address, per_account = reset_limits()
    recent = PasswordResetRequest.objects.filter(at__gte=timezone.now() - WINDOW)
    address_ok = ip_address is None or recent.filter(ip_address=ip_address).count() < per_address
    account_ok = recent.filter(email__iexact=email, sent=True).count() < per_account
    return address_ok, account_ok


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        ip_address = client_ip(self.request)
        email = form.cleaned_data["email"]
        address_ok, account_ok = reset_request_allowed(ip_address=ip_address, email=email)
        PasswordResetRequest.objects.create(ip_address=ip_address, email=email[:254], sent=address_ok and account_ok)
        if not address_ok:
            return render(self.request, "accounts/reset_throttled.html", status=429)
        if not account_ok:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
