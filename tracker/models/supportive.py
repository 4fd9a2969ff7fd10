"""Supportive care: concomitant medicines (nerve-pain drugs, anticoagulants, steroids) with start
and stop dates, and referrals (rehabilitation, pain specialist, palliative care) with their status.

Neuropathic pain: NICE CG173 offers a choice of amitriptyline, duloxetine, gabapentin or
pregabalin (POEMS-DOMAIN.md section 5, [S36]). Doses have engineering bounds only (doses vary),
by dose unit.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date


class DrugClass(models.TextChoices):
    NEUROPATHIC_PAIN = "neuropathic_pain", "Neuropathic pain"
    ANTICOAGULANT = "anticoagulant", "Anticoagulant"
    STEROID = "steroid", "Steroid"
    OTHER = "other", "Other"


class Drug(models.TextChoices):
    AMITRIPTYLINE = "amitriptyline", "Amitriptyline"
    DULOXETINE = "duloxetine", "Duloxetine"
    GABAPENTIN = "gabapentin", "Gabapentin"
    PREGABALIN = "pregabalin", "Pregabalin"
    APIXABAN = "apixaban", "Apixaban"
    RIVAROXABAN = "rivaroxaban", "Rivaroxaban"
    WARFARIN = "warfarin", "Warfarin"
    LMWH = "lmwh", "Low-molecular-weight heparin"
    DEXAMETHASONE = "dexamethasone", "Dexamethasone"
    PREDNISOLONE = "prednisolone", "Prednisolone"
    OTHER = "other", "Other (name it)"


# The class each listed drug belongs to; used when the purpose is left blank.
DRUG_CLASSES = {
    Drug.AMITRIPTYLINE: DrugClass.NEUROPATHIC_PAIN,
    Drug.DULOXETINE: DrugClass.NEUROPATHIC_PAIN,
    Drug.GABAPENTIN: DrugClass.NEUROPATHIC_PAIN,
    Drug.PREGABALIN: DrugClass.NEUROPATHIC_PAIN,
    Drug.APIXABAN: DrugClass.ANTICOAGULANT,
    Drug.RIVAROXABAN: DrugClass.ANTICOAGULANT,
    Drug.WARFARIN: DrugClass.ANTICOAGULANT,
    Drug.LMWH: DrugClass.ANTICOAGULANT,
    Drug.DEXAMETHASONE: DrugClass.STEROID,
    Drug.PREDNISOLONE: DrugClass.STEROID,
}


class DoseUnit(models.TextChoices):
    MG = "mg", "mg"
    MICROGRAM = "microgram", "microgram"
    UNITS = "units", "units (IU)"


# Engineering bounds per dose unit (one dose, not a daily total): wide enough for every
# regimen in use, narrow enough to catch a slipped decimal point or a unit typed as a dose.
DOSE_BOUNDS = {
    DoseUnit.MG: (Decimal("0.01"), Decimal("5000")),
    DoseUnit.MICROGRAM: (Decimal("0.1"), Decimal("50000")),
    DoseUnit.UNITS: (Decimal("1"), Decimal("100000")),
}


WIDEST = (Decimal("0.01"), Decimal("100000"))


def _unit_words(unit: str) -> str:
    return "IU" if unit == DoseUnit.UNITS else unit


class Medication(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="medications")
    drug = models.CharField(max_length=16, choices=Drug.choices)
    drug_name = models.CharField("Drug name", max_length=120, blank=True, help_text="Needed when the drug is Other.")
    purpose = models.CharField(
        "Purpose",
        max_length=16,
        choices=DrugClass.choices,
        blank=True,
        help_text="Blank: the class of the listed drug (Other for a drug named by hand).",
    )
    dose = models.DecimalField(
        "Dose",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded("Dose", 0.01, 100000.0, "(mg, microgram or IU; the range depends on the dose unit)"),
        help_text="One dose, in the dose unit: 0.01 to 5000 mg, 0.1 to 50000 microgram, 1 to 100000 IU",
    )
    dose_unit = models.CharField("Dose unit", max_length=10, choices=DoseUnit.choices, blank=True)
    frequency = models.CharField(max_length=60, blank=True, help_text="e.g. once daily at night, twice daily")
    start_date = models.DateField("Start date", validators=[plausible_date])
    stop_date = models.DateField(
        "Stop date", null=True, blank=True, validators=[plausible_date], help_text="Blank while still taken."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "medication"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "drug", "drug_name", "start_date"],
                condition=FINAL_ONLY,
                name="medication_natural_key",
                violation_error_message="This medication with this start date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} from {self.start_date}"

    @property
    def name(self) -> str:
        return self.drug_name if self.drug == Drug.OTHER else self.get_drug_display()

    @property
    def dose_text(self) -> str:
        if self.dose is None:
            return ""
        return f"{format(self.dose.normalize(), 'f')} {_unit_words(self.dose_unit)}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.drug == Drug.OTHER and not self.drug_name.strip():
            errors["drug_name"] = "Name the drug when the drug is Other."
        if self.drug and self.drug != Drug.OTHER:
            self.drug_name = ""
        if self.drug and not self.purpose:
            self.purpose = DRUG_CLASSES.get(self.drug, DrugClass.OTHER)
        if self.dose is not None:
            if not self.dose_unit:
                errors["dose_unit"] = "Choose the dose unit (mg, microgram or IU) for the dose."
            elif self.dose_unit in DOSE_BOUNDS and WIDEST[0] <= self.dose <= WIDEST[1]:
                # (outside the widest bounds the field's own message has said so already)
                low, high = DOSE_BOUNDS[self.dose_unit]
                if not low <= self.dose <= high:
                    unit = _unit_words(self.dose_unit)
                    errors["dose"] = f"Dose must be between {low} and {high} {unit}."
        if self.stop_date and self.start_date and self.stop_date < self.start_date:
            errors["stop_date"] = (
                f"Stop date ({self.stop_date.isoformat()}) must be on or after the start date "
                f"({self.start_date.isoformat()})."
            )
        if errors:
            raise ValidationError(errors)


class ReferralService(models.TextChoices):
    REHABILITATION = "rehabilitation", "Rehabilitation / physiotherapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PAIN = "pain", "Pain specialist"
    PALLIATIVE = "palliative", "Palliative care"
    OTHER = "other", "Other (name it)"


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SEEN = "seen", "Seen"
    DECLINED = "declined", "Declined"
    DISCHARGED = "discharged", "Discharged"


class Referral(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(max_length=24, choices=ReferralService.choices)
    service_name = models.CharField(
        "Service name", max_length=120, blank=True, help_text="Needed when the service is Other."
    )
    referred_on = models.DateField("Referral date", validators=[plausible_date])
    referral_status = models.CharField(
        "Referral status", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    status_on = models.DateField(
        "Status date",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="When the patient was seen, declined or was discharged.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = "referral"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "service", "service_name", "referred_on"],
                condition=FINAL_ONLY,
                name="referral_natural_key",
                violation_error_message="A referral to this service on this date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.service_label} on {self.referred_on}"

    @property
    def service_label(self) -> str:
        return self.service_name if self.service == ReferralService.OTHER else self.get_service_display()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.service == ReferralService.OTHER and not self.service_name.strip():
            errors["service_name"] = "Name the service when the service is Other."
        if self.service and self.service != ReferralService.OTHER:
            self.service_name = ""
        if self.status_on and self.referred_on and self.status_on < self.referred_on:
            errors["status_on"] = (
                f"Status date ({self.status_on.isoformat()}) must be on or after the referral date "
                f"({self.referred_on.isoformat()})."
            )
        if errors:
            raise ValidationError(errors)
