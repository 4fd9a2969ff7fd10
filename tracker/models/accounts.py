"""Append-only audit tables of the accounts capability.

`PatientRead` answers "who has opened this record"; `AccountAction` records every change to an
account (second factor enrolled or reset, role set, deactivated, invited) and every second-factor
check; `PasswordResetRequest` counts reset requests per address and per account so a throttle
holds across processes. None of them is ever changed or deleted: the queryset and the model
refuse it, the admin shows them read-only, and users are referenced with PROTECT so an account
with history cannot be deleted either.
"""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted.")


class PatientRead(AppendOnlyModel):
    """One view of a patient's pages, one patient in a search hit list, or one export."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="+")
    mrn = models.CharField(max_length=32)
    what = models.CharField(max_length=80)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"], name="patientread_patient_at")]

    def __str__(self) -> str:
        return f"{self.username} read {self.mrn} ({self.what}) at {self.at:%Y-%m-%d %H:%M}"


class AccountAction(AppendOnlyModel):
    """A change to an account or a second-factor check, with who did it and to whom."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(AppendOnlyModel):
    """A password-reset request: counted per address and per e-mail for the throttle."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    email = models.CharField(max_length=254, blank=True)
    sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


class StaffInvite(models.Model):
    """An expiring invitation for a staff member or consultant to create their account in a
    clinic. Only a hash of the token is stored; the link is shown and e-mailed once."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    role = models.CharField(max_length=20)
    clinic = models.ForeignKey("tracker.Clinic", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.role} invite for {self.email} ({self.clinic})"
