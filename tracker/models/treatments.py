"""Treatment events and the engraftment syndrome record (POEMS-DOMAIN.md section 5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

from tracker.models.base import (
    FINAL_ONLY,
    AuditedModel,
    ClinicalQuerySet,
    ClinicalRecord,
    bounded,
    plausible_date,
    plausible_planned_date,
)
from tracker.rules.anchor import ANCHORING_CATEGORIES, ANCHORING_INTENTS, response_anchor
from tracker.rules.engraftment import FEATURES, spitzer_definite


class TreatmentCategory(models.TextChoices):
    RADIOTHERAPY = "radiotherapy", "Radiotherapy"
    ASCT = "asct", "High-dose therapy with autologous stem cell transplant"
    SYSTEMIC = "systemic_anti_plasma_cell", "Systemic anti-plasma-cell therapy"
    CORTICOSTEROID = "corticosteroid", "Corticosteroid"
    NEUROPATHIC_PAIN = "neuropathic_pain_drug", "Neuropathic pain drug"
    THROMBOPROPHYLAXIS = "thromboprophylaxis", "Thromboprophylaxis"
    SUPPORTIVE = "supportive_other", "Other supportive care"


class Intent(models.TextChoices):
    FRONTLINE = "frontline", "Frontline"
    SALVAGE = "salvage", "Salvage"
    BRIDGING = "bridging_or_priming", "Bridging or priming"
    MOBILISATION = "mobilisation", "Mobilisation"
    CONDITIONING = "conditioning", "Conditioning"
    MAINTENANCE = "maintenance", "Maintenance"
    SYMPTOMATIC = "symptomatic", "Symptomatic"


AGENTS = (
    ("melphalan", "Melphalan"),
    ("lenalidomide", "Lenalidomide"),
    ("thalidomide", "Thalidomide"),
    ("pomalidomide", "Pomalidomide"),
    ("bortezomib", "Bortezomib"),
    ("ixazomib", "Ixazomib"),
    ("cyclophosphamide", "Cyclophosphamide"),
    ("daratumumab", "Daratumumab"),
    ("dexamethasone", "Dexamethasone"),
    ("prednisolone", "Prednisolone"),
    ("bevacizumab", "Bevacizumab"),
    ("amitriptyline", "Amitriptyline"),
    ("duloxetine", "Duloxetine"),
    ("gabapentin", "Gabapentin"),
    ("pregabalin", "Pregabalin"),
    ("aspirin", "Aspirin"),
    ("lmwh", "Low-molecular-weight heparin"),
    ("doac", "Direct oral anticoagulant"),
    ("other", "Other"),
)
AGENT_CODES = tuple(code for code, _ in AGENTS)


class Mobilisation(models.TextChoices):
    CYCLOPHOSPHAMIDE_GCSF = "cyclophosphamide_gcsf", "Cyclophosphamide + G-CSF"
    GCSF_ALONE = "gcsf_alone", "G-CSF alone"
    OTHER = "other", "Other"


class TreatmentQuerySet(ClinicalQuerySet):
    def with_t0(self):
        """Annotate `t0_on`, the response anchor each treatment sets (None: none), in SQL:
        `tracker.rules.anchor.response_anchor` is the same rule in Python."""
        return self.annotate(
            t0_on=models.Case(
                models.When(anchor_date__isnull=False, then=models.F("anchor_date")),
                models.When(
                    models.Q(category__in=ANCHORING_CATEGORIES) | models.Q(intent__in=ANCHORING_INTENTS),
                    then=models.F("end_date"),
                ),
                output_field=models.DateField(),
            )
        )


class Treatment(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="treatments")
    category = models.CharField(max_length=32, choices=TreatmentCategory.choices)
    agents = models.JSONField(default=list, blank=True)
    regimen = models.CharField(max_length=60, blank=True, help_text='For example "MDex", "Rd", "HDM-ASCT".')
    intent = models.CharField(max_length=24, choices=Intent.choices, blank=True)
    line = models.PositiveSmallIntegerField(
        "Line of therapy", null=True, blank=True, validators=bounded("Line of therapy", 1, 30, "")
    )
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(
        null=True, blank=True, validators=[plausible_planned_date], help_text="Blank while ongoing."
    )
    anchor_date = models.DateField(
        "Response anchor (T0)",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="RT completion, ASCT day 0 or end of frontline therapy. Blank: the end date of a "
        "radiotherapy, ASCT or frontline treatment; none for other treatments.",
    )
    dose = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    dose_unit = models.CharField(max_length=20, blank=True)
    frequency = models.CharField(max_length=60, blank=True)
    cycles_planned = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=bounded("Cycles planned", 1, 100, "cycles")
    )
    cycles_given = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=bounded("Cycles given", 0, 100, "cycles")
    )
    total_dose_gy = models.DecimalField(
        "Total RT dose",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded("Total RT dose", 0.0, 80.0, "Gy"),
        help_text="Gy",
    )
    fractions = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=bounded("Fractions", 1, 60, "fractions")
    )
    mobilisation = models.CharField(max_length=24, choices=Mobilisation.choices, blank=True)
    melphalan_mg_m2 = models.DecimalField(
        "Melphalan dose",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Melphalan dose", 50.0, 250.0, "mg/m²"),
        help_text="mg/m²",
    )
    cd34_dose_e6_per_kg = models.DecimalField(
        "CD34+ dose",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded("CD34+ dose", 0.5, 50.0, "×10⁶/kg"),
        help_text="×10⁶/kg",
    )
    infusion_date = models.DateField("Stem cell infusion (day 0)", null=True, blank=True, validators=[plausible_date])
    neutrophil_engraftment_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    notes = models.TextField(blank=True)

    objects = TreatmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "category", "start_date"],
                condition=FINAL_ONLY,
                name="treatment_natural_key",
                violation_error_message="A treatment of this category starting on this date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regimen or self.get_category_display()} from {self.start_date}"

    @property
    def response_anchor(self) -> datetime.date | None:
        """The T0 this treatment sets: explicit, else the default rule of INTERFACES section 1."""
        return response_anchor(
            anchor_date=self.anchor_date, category=self.category, intent=self.intent, end_date=self.end_date
        )

    @property
    def label(self) -> str:
        return self.regimen or self.get_category_display()

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "End date cannot be before the start date."
        unknown = [a for a in self.agents or [] if a not in AGENT_CODES]
        if unknown:
            errors["agents"] = f"Unknown agent {', '.join(unknown)}; allowed: {', '.join(AGENT_CODES)}."
        if self.category != TreatmentCategory.RADIOTHERAPY and (self.total_dose_gy is not None or self.fractions):
            errors["total_dose_gy"] = "Radiotherapy dose and fractions apply only to radiotherapy."
        if self.category != TreatmentCategory.ASCT and (self.melphalan_mg_m2 is not None or self.infusion_date):
            errors["melphalan_mg_m2"] = "Melphalan dose and infusion date apply only to ASCT."
        if self.anchor_date and self.start_date and self.anchor_date < self.start_date:
            errors["anchor_date"] = "Response anchor cannot be before the start date."
        if errors:
            raise ValidationError(errors)


ENGRAFTMENT_FEATURES = tuple((code, label) for code, label, _kind in FEATURES)


class EngraftmentSyndrome(AuditedModel):
    """Engraftment syndrome after an ASCT; `spitzer_definite` is derived from the features."""

    treatment = models.OneToOneField(Treatment, on_delete=models.PROTECT, related_name="engraftment_syndrome")
    present = models.BooleanField(default=False)
    onset_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    features = models.JSONField(default=list, blank=True)
    steroids_given = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Engraftment syndrome record for {self.treatment}"

    @property
    def spitzer_definite(self) -> bool:
        return spitzer_definite(
            set(self.features or []),
            engraftment_date=self.treatment.neutrophil_engraftment_date,
            onset_date=self.onset_date,
        )

    def clean(self) -> None:
        allowed = {code for code, _ in ENGRAFTMENT_FEATURES}
        unknown = [f for f in self.features or [] if f not in allowed]
        if unknown:
            raise ValidationError({"features": f"Unknown feature {', '.join(unknown)}."})
