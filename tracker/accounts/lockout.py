"""Sign-in lock-out per account and per address (django-axes).

`AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]` makes axes count failures for the account
(from any address) and for the address (at any account) separately. Axes compares both counts
with one limit; this handler gives the address its own, larger limit
(`POEMS_ADDRESS_FAILURE_LIMIT`, default 10), since a ward's computers share one address: the
account locks after `AXES_FAILURE_LIMIT` (5) failures from anywhere, the address after 10
failures at any accounts (so four guesses at each of three accounts lock it).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

DEFAULT_ADDRESS_FAILURE_LIMIT = 10


def address_failure_limit() -> int:
    return int(getattr(settings, "POEMS_ADDRESS_FAILURE_LIMIT", DEFAULT_ADDRESS_FAILURE_LIMIT))


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The larger of the account's failures and the address's failures scaled to the
        account limit, so `failures >= AXES_FAILURE_LIMIT` exactly when either limit is reached."""
        account_limit = get_failure_limit(request, credentials)
        address_limit = address_failure_limit()
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter in ("ip_address", ["ip_address"]):
                failures = failures * account_limit // address_limit
            worst = max(worst, failures)
        return worst
