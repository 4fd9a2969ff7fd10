"""The audit trail of exports: one row per research or FHIR export, from the command line or
the web. A web export keeps its zip bytes here until downloaded, so any app server can hand
out what a worker built (no files on local disk)."""

from django.conf import settings
from django.db import models


class ExportFormat(models.TextChoices):
    RESEARCH = "research", "Research data package (CSV)"
    FHIR = "fhir", "FHIR R4 Bundle (JSON)"
    PATIENT_RECORD = "patient_record", "Patient's own record"


class ExportSource(models.TextChoices):
    COMMAND = "command", "Command line"
    WEB = "web", "Web page"
    PORTAL = "portal", "Patient portal"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to run"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportRun(models.Model):
    """Who exported what, when, with which options and how many rows per file."""

    format = models.CharField(max_length=16, choices=ExportFormat.choices)
    source = models.CharField(max_length=8, choices=ExportSource.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pseudonymised = models.BooleanField(default=False)
    clinic_code = models.CharField(max_length=32, blank=True, help_text="Blank: every clinic the user may see.")
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per file.")
    message = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_bytes = models.BinaryField(null=True, blank=True, editable=False)
    file_size = models.PositiveIntegerField(default=0, help_text="bytes")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} by {self.actor_id} ({self.get_status_display()})"

    @property
    def row_count(self) -> int:
        return sum(value for key, value in self.counts.items() if key != "dictionary")


class FhirUploadStatus(models.TextChoices):
    PREVIEWED = "previewed", "Checked, waiting for confirmation"
    FAILED = "failed", "Rejected, nothing saved"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Discarded, nothing saved"


class FhirUpload(models.Model):
    """A FHIR Bundle uploaded on the web page: kept between the check and the confirmation so
    any app server can confirm it; the bytes are cleared once imported or discarded."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField(default=0, help_text="bytes")
    file_bytes = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=FhirUploadStatus.choices, default=FhirUploadStatus.PREVIEWED)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"FHIR upload {self.file_name} ({self.get_status_display()})"
