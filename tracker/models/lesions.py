"""Lesions seen on an imaging study: site, appearance, size, SUVmax and status, so that "new
lesion" and "SUV fall" are data rather than a category typed by hand."""

from django.core.exceptions import ValidationError
from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, RecordStatus, bounded, plausible_date
from tracker.models.imaging import Modality


class Appearance(models.TextChoices):
    SCLEROTIC = "sclerotic", "Sclerotic"
    LYTIC = "lytic", "Lytic"
    MIXED = "mixed", "Mixed"


class LesionStatus(models.TextChoices):
    NEW = "new", "New"
    KNOWN = "known", "Known"
    RESOLVED = "resolved", "Resolved"


class ImagingLesion(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="imaging_lesions")
    study = models.ForeignKey(
        "tracker.imagingstudy", on_delete=models.PROTECT, related_name="lesions", null=True, blank=True
    )
    study_date = models.DateField("Study date", validators=[plausible_date])
    modality = models.CharField(max_length=8, choices=Modality.choices)
    site = models.CharField(max_length=80, help_text="e.g. L3 vertebral body, right iliac bone")
    appearance = models.CharField(max_length=12, choices=Appearance.choices, blank=True)
    size_mm = models.DecimalField(
        "Size",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Lesion size", 0.0, 500.0, "mm"),
        help_text="mm, largest diameter",
    )
    suv_max = models.DecimalField(
        "SUVmax",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("SUVmax", 0.0, 100.0, "(standardised uptake value)"),
        help_text="PET only",
    )
    # `status` is the record's own (final or entered in error); the CSV column `status` fills this.
    lesion_status = models.CharField("Lesion status", max_length=10, choices=LesionStatus.choices, blank=True)

    class Meta:
        ordering = ["-study_date", "site", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "study_date", "modality", "site"],
                condition=FINAL_ONLY,
                name="lesion_natural_key",
                violation_error_message="This lesion site is already recorded for that study.",
            ),
        ]

    def __str__(self) -> str:
        return f"Lesion at {self.site} on {self.study_date}"

    def clean(self) -> None:
        """A lesion belongs to a recorded imaging study of the same patient, date and modality."""
        super().clean()
        if not (self.patient_id and self.study_date and self.modality):
            return
        study = self.patient.imaging_studies.filter(
            study_date=self.study_date,
            modality=self.modality,
            status=RecordStatus.FINAL,
        ).first()
        if study is None:
            raise ValidationError(
                {
                    "study_date": f"No {Modality(self.modality).label} study on {self.study_date.isoformat()} is "
                    "recorded for this patient; record the imaging study first."
                }
            )
        self.study = study
