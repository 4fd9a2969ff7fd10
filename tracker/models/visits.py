"""Clinic visits: clinician-scored ONLS, INCAT, mRS, ECOG, pain and examination."""

from django.conf import settings
from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date


class ExamFinding(models.TextChoices):
    NORMAL = "normal", "Normal"
    REDUCED = "reduced", "Reduced"
    ABSENT = "absent", "Absent"


class Visit(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField(validators=[plausible_date])
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    onls_arm = models.PositiveSmallIntegerField(
        "ONLS arm",
        null=True,
        blank=True,
        validators=bounded("ONLS arm", 0, 5, "points"),
        help_text="0 (normal) to 5 (no purposeful arm movement)",
    )
    onls_leg = models.PositiveSmallIntegerField(
        "ONLS leg",
        null=True,
        blank=True,
        validators=bounded("ONLS leg", 0, 7, "points"),
        help_text="0 (walking, stairs, running unaffected) to 7 (no purposeful leg movement)",
    )
    uses_afo = models.BooleanField("Uses ankle-foot orthosis", default=False)
    incat_arm = models.PositiveSmallIntegerField(
        "INCAT arm", null=True, blank=True, validators=bounded("INCAT arm", 0, 5, "points"), help_text="0 to 5"
    )
    incat_leg = models.PositiveSmallIntegerField(
        "INCAT leg", null=True, blank=True, validators=bounded("INCAT leg", 0, 5, "points"), help_text="0 to 5"
    )
    mrs = models.PositiveSmallIntegerField(
        "Modified Rankin Scale",
        null=True,
        blank=True,
        validators=bounded("mRS", 0, 6, "points"),
        help_text="0 (no symptoms) to 6 (dead)",
    )
    ecog = models.PositiveSmallIntegerField(
        "ECOG performance status",
        null=True,
        blank=True,
        validators=bounded("ECOG", 0, 5, "points"),
        help_text="0 (fully active) to 5 (dead)",
    )
    pain_nrs = models.PositiveSmallIntegerField(
        "Neuropathic pain (NRS)",
        null=True,
        blank=True,
        validators=bounded("Pain NRS", 0, 10, "points"),
        help_text="0 (no pain) to 10 (worst pain imaginable)",
    )
    weight_kg = models.DecimalField(
        "Weight",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Weight", 20.0, 300.0, "kg"),
        help_text="kg",
    )
    mrc_sum = models.PositiveSmallIntegerField(
        "MRC sum score",
        null=True,
        blank=True,
        validators=bounded("MRC sum score", 0, 60, "points"),
        help_text="12 muscles, each 0 to 5: 0 (paralysis) to 60 (normal strength)",
    )
    vibration_sense = models.CharField(
        "Vibration sense", max_length=8, choices=ExamFinding.choices, blank=True, help_text="At the great toes."
    )
    reflexes = models.CharField("Tendon reflexes", max_length=8, choices=ExamFinding.choices, blank=True)
    oedema = models.BooleanField(null=True, blank=True, help_text="Unknown: not examined.")
    skin_changes = models.BooleanField(null=True, blank=True)
    organomegaly = models.BooleanField(null=True, blank=True)
    papilloedema = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-visit_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "visit_date"],
                condition=FINAL_ONLY,
                name="visit_natural_key",
                violation_error_message="A visit on this date is already recorded; edit that visit instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit on {self.visit_date}"

    @property
    def onls_total(self) -> int | None:
        if self.onls_arm is None or self.onls_leg is None:
            return None
        return self.onls_arm + self.onls_leg

    @property
    def incat_total(self) -> int | None:
        if self.incat_arm is None or self.incat_leg is None:
            return None
        return self.incat_arm + self.incat_leg
