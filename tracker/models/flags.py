"""Early-warning flags: stored rows, so the worklist is one cheap query."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Severity(models.TextChoices):
    INFO = "info", "Info"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


SEVERITY_RANK = {Severity.INFO: 0, Severity.AMBER: 1, Severity.RED: 2}


class Flag(models.Model):
    """One rule result for one patient, identified by the rule engine's stable `key`."""

    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="flags")
    key = models.CharField(max_length=200)
    rule = models.CharField(max_length=8)
    rule_version = models.CharField(max_length=20)
    severity = models.CharField(max_length=5, choices=Severity.choices)
    severity_rank = models.PositiveSmallIntegerField(default=0)
    domain = models.CharField(max_length=20)
    raised_on = models.DateField()
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    explanation = models.TextField()
    evidence = models.JSONField(default=dict)
    params = models.JSONField(default=dict)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-severity_rank", "-raised_on", "rule"]
        constraints = [models.UniqueConstraint(fields=["patient", "key"], name="flag_identity")]
        indexes = [models.Index(fields=["status", "severity_rank"])]

    def __str__(self) -> str:
        return f"{self.rule} ({self.severity}) on {self.raised_on}"

    @property
    def is_active(self) -> bool:
        return self.status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
