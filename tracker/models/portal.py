"""Per-patient settings of the patient portal.

Kept apart from the clinical records on purpose: which lab results a patient may see and when
they were last reminded are decisions about the portal, not facts about the patient, so they
never touch the lab results or the patient row. One row per patient, created the first time staff invite the
patient or choose what to share.
"""

from django.core.exceptions import ValidationError
from django.db import models

from tracker import catalogue
from tracker.models.base import AuditedModel


class PatientPortal(AuditedModel):
    patient = models.OneToOneField("tracker.Patient", on_delete=models.PROTECT, related_name="portal")
    released_analytes = models.JSONField(
        default=list,
        blank=True,
        help_text="Analyte codes whose results the patient sees on their own page.",
    )
    invited_on = models.DateField(null=True, blank=True, help_text="When the latest set-password link was issued.")
    last_reminded_on = models.DateField(null=True, blank=True, help_text="When the last report reminder was emailed.")

    class Meta:
        verbose_name = "patient portal settings"
        verbose_name_plural = "patient portal settings"

    def __str__(self) -> str:
        return f"Portal settings for patient {self.patient_id}"

    def clean(self) -> None:
        unknown = sorted(set(self.released_analytes or []) - set(catalogue.ANALYTES))
        if unknown:
            raise ValidationError({"released_analytes": f"Unknown analyte code(s): {', '.join(unknown)}."})
