"""The worklist in the database: one summary row per patient, and the record of daily jobs.

`WorklistEntry` is written in the same transaction as the flag evaluation that changes it
(`services.flags`), so the worklist filters, sorts and pages in SQL on indexed columns instead
of reading every patient's record. Overdue is not stored: it is `next_due_on < today`, so the
row stays right as days pass without a write.
"""

from django.db import models


class WorklistEntry(models.Model):
    """What the worklist shows for one patient, as of the last evaluation (`evaluated_on`)."""

    patient = models.OneToOneField(
        "tracker.Patient", primary_key=True, on_delete=models.PROTECT, related_name="worklist_entry"
    )
    status = models.CharField(max_length=10, default="green", help_text="The rules' overall status.")
    top_rank = models.PositiveSmallIntegerField(default=0, help_text="Highest active flag: 2 red, 1 amber, 0 none.")
    top_raised_on = models.DateField(null=True, blank=True, help_text="Newest active flag of the top severity.")
    open_flags = models.PositiveIntegerField(default=0, help_text="Active (open or acknowledged) AMBER/RED flags.")
    unacknowledged = models.PositiveIntegerField(default=0, help_text="Open AMBER/RED flags not yet acknowledged.")
    last_vegf_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    last_vegf_comparator = models.CharField(max_length=1, blank=True)
    last_vegf_unit = models.CharField(max_length=16, blank=True)
    last_vegf_specimen = models.CharField(max_length=16, blank=True)
    last_vegf_on = models.DateField(null=True, blank=True)
    last_visit_on = models.DateField(null=True, blank=True)
    anchor_on = models.DateField(null=True, blank=True, help_text="Latest response anchor (T0).")
    next_due_on = models.DateField(null=True, blank=True, help_text="Next follow-up visit due; none before an anchor.")
    interval_months = models.PositiveSmallIntegerField(default=0)
    evaluated_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["top_rank", "top_raised_on"], name="worklist_rank_idx"),
            models.Index(fields=["next_due_on"], name="worklist_due_idx"),
            models.Index(fields=["unacknowledged", "top_rank"], name="worklist_unack_idx"),
        ]

    def __str__(self) -> str:
        return f"worklist entry of patient {self.patient_id} ({self.status})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    """One run of a daily job for one day: at most one per (job, day), so a job runs once a day."""

    job = models.CharField(max_length=60)
    day = models.DateField()
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True, help_text="seconds")
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} for {self.day} ({self.status})"
