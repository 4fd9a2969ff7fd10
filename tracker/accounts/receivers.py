"""Receivers of the accounts capability, connected at start-up (TrackerConfig.ready).

- Accounts are deactivated, never deleted: deleting one would blank "who" (SET_NULL) in the
  history of every record it touched. The guard refuses the delete wherever it comes from (the
  admin, the shell, a bulk queryset delete of users), before anything is removed.
- At sign-in the session notes whether the user has a second factor and starts the staff idle
  clock, so later requests need no query for either.
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django_otp import user_has_device

from tracker.access import role_of
from tracker.accounts.middleware import SEEN_KEY, staff_idle_seconds
from tracker.accounts.twofactor import HAS_DEVICE_KEY
from tracker.models.accounts import AppendOnlyError
from tracker.roles import PATIENT


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="poems_users_never_deleted")
def _refuse_user_delete(sender, instance, **kwargs) -> None:
    raise AppendOnlyError(f"Account {instance.get_username()!r} cannot be deleted: deactivate it instead.")


@receiver(user_logged_in, dispatch_uid="poems_accounts_signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    """Note in the new session whether the user has a second factor, and start the idle clock."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[HAS_DEVICE_KEY] = user_has_device(user, confirmed=True)
    if role_of(user) != PATIENT:
        session[SEEN_KEY] = int(time.time())
        session.set_expiry(staff_idle_seconds())
