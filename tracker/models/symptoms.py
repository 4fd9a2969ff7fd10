"""Patient-reported symptom checklists (POEMS-DOMAIN.md section 4.6)."""

from django.conf import settings
from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date

# (code, plain-language wording) in the order patients see them.
SYMPTOM_ITEMS = (
    ("numbness_tingling", "Numbness or pins-and-needles in feet or hands"),
    ("weakness", "Weakness in legs or arms, tripping, difficulty with stairs"),
    ("pain", "Nerve pain (burning, shooting)"),
    ("swelling", "Swelling of legs, ankles or tummy"),
    ("breathlessness", "Short of breath"),
    ("fatigue", "Tiredness"),
    ("skin_changes", "Darkening skin, new hair growth, new red spots, white nails"),
    ("headache_vision", "Headaches or blurred vision"),
    ("sweating", "Excessive sweating"),
    ("diarrhoea", "Diarrhoea"),
)
SYMPTOM_CODES = tuple(code for code, _ in SYMPTOM_ITEMS)


class SymptomSource(models.TextChoices):
    PATIENT = "patient", "Reported by the patient"
    STAFF = "staff", "Entered by staff"
    IMPORT = "import", "CSV import"


def _item(code: str, wording: str):
    return models.PositiveSmallIntegerField(
        wording, null=True, blank=True, validators=bounded(wording, 0, 10, "(0 = none, 10 = worst)")
    )


class SymptomReport(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="symptom_reports")
    reported_on = models.DateField(validators=[plausible_date])
    numbness_tingling = _item(*SYMPTOM_ITEMS[0])
    weakness = _item(*SYMPTOM_ITEMS[1])
    pain = _item(*SYMPTOM_ITEMS[2])
    swelling = _item(*SYMPTOM_ITEMS[3])
    breathlessness = _item(*SYMPTOM_ITEMS[4])
    fatigue = _item(*SYMPTOM_ITEMS[5])
    skin_changes = _item(*SYMPTOM_ITEMS[6])
    headache_vision = _item(*SYMPTOM_ITEMS[7])
    sweating = _item(*SYMPTOM_ITEMS[8])
    diarrhoea = _item(*SYMPTOM_ITEMS[9])
    weight_kg = models.DecimalField(
        "Weight",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Weight", 20.0, 300.0, "kg"),
        help_text="kg",
    )
    other_symptoms = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=SymptomSource.choices, default=SymptomSource.STAFF)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "reported_on"],
                condition=FINAL_ONLY,
                name="symptom_natural_key",
                violation_error_message="A symptom report for this date is already recorded; edit that report instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"Symptom report on {self.reported_on}"

    @property
    def items(self) -> dict[str, int | None]:
        return {code: getattr(self, code) for code in SYMPTOM_CODES}
