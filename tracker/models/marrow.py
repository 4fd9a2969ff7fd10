"""Bone marrow biopsies: plasma-cell percentage and clonality."""

from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date


class Clonality(models.TextChoices):
    KAPPA = "kappa", "Kappa-restricted"
    LAMBDA = "lambda", "Lambda-restricted"
    NONE = "none", "No clonal plasma cells"


class MarrowBiopsy(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="marrow_biopsies")
    biopsy_date = models.DateField("Biopsy date", validators=[plausible_date])
    plasma_cells_pct = models.DecimalField(
        "Plasma cells",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Plasma cells", 0.0, 100.0, "percent"),
        help_text="% of nucleated marrow cells, 0 to 100",
    )
    clonality = models.CharField(max_length=8, choices=Clonality.choices, blank=True)
    method = models.CharField(
        max_length=80, blank=True, help_text="e.g. trephine with CD138 immunohistochemistry, flow cytometry"
    )
    notes = models.TextField("Result", blank=True)

    class Meta:
        ordering = ["-biopsy_date", "-id"]
        verbose_name = "bone marrow biopsy"
        verbose_name_plural = "bone marrow biopsies"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "biopsy_date"],
                condition=FINAL_ONLY,
                name="marrow_natural_key",
                violation_error_message="A bone marrow biopsy on this date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"Bone marrow biopsy on {self.biopsy_date}"
