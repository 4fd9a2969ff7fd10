"""Accounts are deactivated, never deleted: deleting one would blank "who" (SET_NULL) in the
history of every record it touched. This guard refuses the delete wherever it comes from (the
admin, the shell, a bulk queryset delete of users), before anything is removed."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from tracker.accounts.models import AppendOnlyError


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="poems_users_never_deleted")
def _refuse_user_delete(sender, instance, **kwargs) -> None:
    raise AppendOnlyError(f"Account {instance.get_username()!r} cannot be deleted: deactivate it instead.")
