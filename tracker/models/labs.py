"""Laboratory results, each with its value and unit as entered beside the canonical value."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from tracker import catalogue
from tracker.models.base import FINAL_ONLY, ClinicalRecord, plausible_date


class LabSource(models.TextChoices):
    MANUAL = "manual", "Entered by staff"
    IMPORT = "import", "CSV import"
    PORTAL = "portal", "Patient portal"


class LabResult(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="lab_results")
    analyte = models.CharField(max_length=32, choices=catalogue.ANALYTE_CHOICES)
    specimen = models.CharField(max_length=16, choices=catalogue.SPECIMENS)
    collected_on = models.DateField(validators=[plausible_date])
    comparator = models.CharField(max_length=1, default="=", choices=[(c, c) for c in catalogue.COMPARATORS])
    value_as_entered = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit_as_entered = models.CharField(max_length=20, blank=True)
    value_canonical = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit_canonical = models.CharField(max_length=20, blank=True)
    category = models.CharField(
        max_length=12, blank=True, choices=catalogue.IFE_CATEGORIES, help_text="Immunofixation result."
    )
    detail = models.CharField(max_length=40, blank=True, help_text="Paraprotein type, e.g. IgA-lambda.")
    ref_low = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="As printed on the report, canonical unit."
    )
    ref_high = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    lab = models.CharField(max_length=80, blank=True)
    assay = models.CharField(max_length=80, blank=True)
    confounders = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, choices=LabSource.choices, default=LabSource.MANUAL)
    loinc = models.CharField("LOINC", max_length=16, blank=True)
    # A clinician has looked at the result: until then the portal holds back an abnormal one
    # (POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL). Cleared when the value or its range changes.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    REVIEW_COVERS = ("comparator", "value_canonical", "unit_canonical", "category", "detail", "ref_low", "ref_high")

    class Meta:
        ordering = ["-collected_on", "analyte", "-id"]
        indexes = [models.Index(fields=["patient", "analyte", "collected_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "analyte", "specimen", "lab", "collected_on"],
                condition=FINAL_ONLY,
                name="lab_natural_key",
                violation_error_message="A result for this analyte, specimen and lab on this date is already recorded; "
                "correct it by marking it entered in error first.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} on {self.collected_on}: {self.display_value}"

    def clean(self) -> None:
        if self.ref_low is not None and self.ref_high is not None and self.ref_low >= self.ref_high:
            unit = catalogue.display_unit(self.unit_canonical)
            raise ValidationError(
                {
                    "ref_low": f"Reference low ({self.ref_low.normalize():f} {unit}) must be below reference high "
                    f"({self.ref_high.normalize():f} {unit})."
                }
            )

    @property
    def spec(self) -> catalogue.AnalyteSpec:
        return catalogue.get_spec(self.analyte, self.specimen)

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def display_value(self) -> str:
        """The canonical value with comparator and unit, e.g. '<5 mg/L' or 'positive (IgA-lambda)'."""
        if self.category:
            return f"{self.get_category_display()}{f' ({self.detail})' if self.detail else ''}"
        prefix = "" if self.comparator == "=" else self.comparator
        number = catalogue.format_value(self.value_canonical, self.spec.decimal_places)
        return f"{prefix}{number} {catalogue.display_unit(self.unit_canonical)}".strip()

    @property
    def display_as_entered(self) -> str:
        if self.category or self.value_as_entered is None:
            return ""
        prefix = "" if self.comparator == "=" else self.comparator
        unit = catalogue.display_unit(self.unit_as_entered)
        return f"{prefix}{catalogue.format_value(self.value_as_entered, 4)} {unit}".strip()

    @property
    def reference(self) -> tuple[Decimal | None, Decimal | None, bool]:
        """(low, high, is_fallback): the report's range, else the catalogue's default for the
        patient's sex. Reading `patient` costs nothing when the result came from
        `patient.lab_results` (Django sets the known patient on each row)."""
        if self.ref_low is not None or self.ref_high is not None or self.category:
            return self.ref_low, self.ref_high, False
        spec = self.spec
        fallback = spec.default_reference(self.patient.sex) if spec.convertible else None
        if fallback is None:
            return None, None, False
        return fallback.low, fallback.high, True

    @property
    def display_reference(self) -> str:
        """The range for staff, '(default)' marking the catalogue's range in place of the report's."""
        text = self.plain_reference
        return f"{text} (default)" if text and self.reference[2] else text

    @property
    def plain_reference(self) -> str:
        """The range as a patient reads it: numbers and unit, no note on where it came from."""
        low, high, _fallback = self.reference
        if low is None and high is None:
            return ""
        places = self.spec.decimal_places
        low_text = catalogue.format_value(low, places) if low is not None else ""
        high_text = catalogue.format_value(high, places) if high is not None else ""
        unit = catalogue.display_unit(self.unit_canonical)
        if low_text and high_text:
            return f"{low_text}–{high_text} {unit}".strip()
        return (f"≤{high_text} {unit}" if high_text else f"≥{low_text} {unit}").strip()

    @property
    def is_abnormal(self) -> bool:
        """Outside its reference range, or an immunofixation that is not negative."""
        if self.category:
            return self.category in ("positive", "equivocal")
        return bool(self.range_flag)

    @property
    def range_flag(self) -> str:
        """'High' or 'Low' against the stored reference range, in words (never colour alone)."""
        value = self.value_canonical
        if value is None or self.category:
            return ""
        low, high, _fallback = self.reference
        if high is not None and value > high and self.comparator != "<":
            return "High"
        if low is not None and value < low and self.comparator != ">":
            return "Low"
        return ""
