"""The audit trail of CSV imports: one row per run of the command or upload on the web page.

A web upload keeps its file bytes here between preview and confirmation, so any app server
can confirm what another one checked (no files on local disk); the bytes are cleared once the
run is imported or discarded, keeping the name, size and SHA-256 for the audit.
"""

from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    PATIENTS = "patients", "Patients"
    TREATMENTS = "treatments", "Treatments"
    LABS = "labs", "Laboratory results"
    VISITS = "visits", "Visits"
    SYMPTOMS = "symptoms", "Symptom reports"
    NCS = "ncs", "Nerve conduction studies"
    IMAGING = "imaging", "Imaging studies"
    MARROW = "marrow", "Bone marrow biopsies"
    EVENTS = "events", "Clinical events"
    LESIONS = "lesions", "Imaging lesions"
    MEDICATIONS = "medications", "Medications"
    REFERRALS = "referrals", "Referrals"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    PREVIEWED = "previewed", "Checked, waiting for confirmation"
    CHECKED = "checked", "Checked (dry run), nothing saved"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Rejected, nothing saved"
    DISCARDED = "discarded", "Discarded, nothing saved"


class ImportSource(models.TextChoices):
    COMMAND = "command", "manage.py import_csv"
    WEB = "web", "Staff web page"


class ImportRun(models.Model):
    """Who imported which file of which kind, when, with what outcome and row counts.

    `outcomes` holds one letter per data row for the web preview (c created, u unchanged,
    p updated, e error, - blank row): 100 kB for 100,000 rows, so every row can be shown
    without keeping the parsed file. `errors` keeps the first problems as (row, column, message).
    """

    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    source = models.CharField(max_length=8, choices=ImportSource.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField(default=0, help_text="bytes")
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_bytes = models.BinaryField(null=True, blank=True, editable=False)
    update_existing = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    outcomes = models.TextField(blank=True)
    check_seconds = models.FloatField(null=True, blank=True, help_text="How long the last check or import took.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["actor", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name} ({self.get_status_display()})"

    @property
    def summary(self) -> str:
        """The command's success line, e.g. 'imported: 3 created, 0 unchanged, 1 updated'."""
        return f"imported: {self.created_count} created, {self.unchanged_count} unchanged, {self.updated_count} updated"
