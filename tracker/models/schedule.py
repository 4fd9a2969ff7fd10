"""The follow-up plan: clinic defaults and each patient's own changes, the reminders and
digests sent, and the secret calendar feeds (POEMS-DOMAIN.md section 7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.models.base import AuditedModel, bounded
from tracker.rules.schedule import MAX_INTERVAL_M
from tracker.rules.schedule_params import ITEM_LABELS, ITEMS

ITEM_CHOICES = [(code, ITEM_LABELS[code]) for code in ITEMS]


class PlanItem(AuditedModel):
    """One item changed from the spec's defaults, for a whole clinic (`patient` empty) or for
    one patient (`clinic` empty). Every version is kept with who changed it and when."""

    clinic = models.ForeignKey(
        "tracker.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items"
    )
    patient = models.ForeignKey(
        "tracker.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items"
    )
    item = models.CharField(max_length=16, choices=ITEM_CHOICES)
    enabled = models.BooleanField(default=True, help_text="Scheduled at all for this patient or clinic.")
    interval_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=bounded("Interval", 1, MAX_INTERVAL_M, "months"),
        help_text="Replaces the surveillance intervals (months); empty keeps the defaults.",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clinic__isnull=True, patient__isnull=False) | Q(clinic__isnull=False, patient__isnull=True),
                name="plan_item_clinic_or_patient",
                violation_error_message="A plan item belongs to a clinic or to a patient, not both.",
            ),
            models.UniqueConstraint(
                fields=["patient", "item"], condition=Q(patient__isnull=False), name="plan_item_unique_patient"
            ),
            models.UniqueConstraint(
                fields=["clinic", "item"], condition=Q(clinic__isnull=False), name="plan_item_unique_clinic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} plan for {'patient ' + str(self.patient_id) if self.patient_id else 'clinic'}"


class ReminderKind(models.TextChoices):
    SELF_REPORT = "self_report", "Self-report reminder to a patient"
    DIGEST = "digest", "Daily digest to clinic staff"


class ReminderStatus(models.TextChoices):
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (tried again on the next run)"
    SKIPPED = "skipped", "Not sent"


class ReminderLog(models.Model):
    """One reminder or digest: `key` is unique per reminder (kind, recipient, period), so a
    job that runs twice, or after a restart, never sends the same one again."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices)
    patient = models.ForeignKey("tracker.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("tracker.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipients = models.TextField(blank=True)
    for_day = models.DateField(help_text="The day the job ran for.")
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-for_day", "-id"]

    def __str__(self) -> str:
        return self.key


class CalendarFeed(models.Model):
    """A secret calendar address for one user and clinic. Only a SHA-256 of the token is kept;
    a revoked feed answers 404 and stays listed with who revoked it when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds")
    clinic = models.ForeignKey("tracker.Clinic", on_delete=models.PROTECT, related_name="calendar_feeds")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.clinic_id} for user {self.user_id}"
