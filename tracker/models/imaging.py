"""Imaging studies with the radiologist's response category."""

from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, plausible_date


class Modality(models.TextChoices):
    PET_CT = "pet_ct", "PET-CT"
    CT = "ct", "CT"
    MRI = "mri", "MRI"
    XRAY = "xray", "X-ray"


class ImagingResponse(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    CR = "CR", "Complete response"
    PR = "PR", "Partial response"
    SD = "SD", "Stable disease"
    PD = "PD", "Progressive disease"


class ImagingStudy(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="imaging_studies")
    study_date = models.DateField(validators=[plausible_date])
    modality = models.CharField(max_length=8, choices=Modality.choices)
    response_category = models.CharField(
        "Radiologist's response category", max_length=8, choices=ImagingResponse.choices, blank=True
    )
    new_lesion = models.BooleanField("New lesion", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-study_date", "-id"]
        verbose_name_plural = "imaging studies"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "study_date", "modality"],
                condition=FINAL_ONLY,
                name="imaging_natural_key",
                violation_error_message="A study of this modality on this date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} on {self.study_date}"
