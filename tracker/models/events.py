"""Clinical events: thromboses, infections, admissions, adverse events graded by CTCAE v5,
clinician-confirmed relapse or progression (distinct from flags), and death."""

from django.core.exceptions import ValidationError
from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date


class EventKind(models.TextChoices):
    DVT = "dvt", "Deep vein thrombosis"
    PE = "pe", "Pulmonary embolism"
    ARTERIAL_THROMBOSIS = "arterial_thrombosis", "Arterial thrombosis"
    INFECTION = "infection", "Infection"
    ENGRAFTMENT_SYNDROME = "engraftment_syndrome", "Engraftment syndrome"
    ADMISSION = "admission", "Hospital admission"
    ADVERSE_EVENT = "adverse_event", "Other adverse event"
    RELAPSE = "relapse", "Relapse (clinician-confirmed)"
    PROGRESSION = "progression", "Progression (clinician-confirmed)"
    DEATH = "death", "Death"


# The events that end progression-free survival besides death.
RELAPSE_EVENTS = frozenset({EventKind.RELAPSE, EventKind.PROGRESSION})


class ClinicalEvent(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="clinical_events")
    event = models.CharField(max_length=24, choices=EventKind.choices)
    onset_date = models.DateField("Onset", validators=[plausible_date], help_text="For a death: the date of death.")
    grade = models.PositiveSmallIntegerField(
        "CTCAE grade",
        null=True,
        blank=True,
        validators=bounded("CTCAE grade", 1, 5, "(CTCAE v5)"),
        help_text="CTCAE v5: 1 (mild) to 5 (death related to the event)",
    )
    resolved_on = models.DateField("Resolved on", null=True, blank=True, validators=[plausible_date])
    ctcae_term = models.CharField("CTCAE term", max_length=120, blank=True)
    treatment_related = models.BooleanField(
        "Related to a treatment", null=True, blank=True, help_text="Unknown: not assessed."
    )
    cause = models.CharField(max_length=200, blank=True, help_text="For a death: the cause.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-onset_date", "-id"]
        verbose_name = "clinical event"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "event", "onset_date"],
                condition=FINAL_ONLY,
                name="event_natural_key",
                violation_error_message="This event with this onset date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.onset_date}"

    def clean(self) -> None:
        super().clean()
        if self.resolved_on and self.onset_date and self.resolved_on < self.onset_date:
            raise ValidationError(
                {
                    "resolved_on": f"Resolved on ({self.resolved_on.isoformat()}) must be on or after the onset "
                    f"date ({self.onset_date.isoformat()})."
                }
            )
