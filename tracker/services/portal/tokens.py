"""Invitation links: Django's password-reset token machinery with its own salt and a 7-day
lifetime. Nothing secret is stored: the token is an HMAC over the user's password hash and last
login, so it stops working the moment the patient sets a password (single use) and can never be
replayed as an ordinary password-reset token, nor the other way round.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITE_VALID_DAYS = 7


class InviteTokenGenerator(PasswordResetTokenGenerator):
    """Set-password links for new portal accounts: valid for INVITE_VALID_DAYS, single use.

    `check_token` of the parent reads the global PASSWORD_RESET_TIMEOUT; this one has its own
    lifetime and can say *why* a link fails, so the patient is told "expired" rather than
    "invalid" when that is the reason.
    """

    # The salt keeps its original module path: changing it would void every link already sent.
    key_salt = "tracker.services.portal.InviteTokenGenerator"
    timeout_seconds = INVITE_VALID_DAYS * 24 * 60 * 60

    def check_token(self, user, token) -> bool:
        return self.token_problem(user, token) == ""

    def token_problem(self, user, token) -> str:
        """'' for a good link, 'expired' for a genuine but old one, 'invalid' otherwise
        (already used, replaced by a password change, or tampered with)."""
        if not (user and token):
            return "invalid"
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return "invalid"
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not genuine:
            return "invalid"
        if self._num_seconds(self._now()) - ts > self.timeout_seconds:
            return "expired"
        return ""


invite_token_generator = InviteTokenGenerator()
