"""Nerve conduction studies: one study per date, one row per nerve/side/site/kind."""

from django.db import models

from tracker.models.base import FINAL_ONLY, ClinicalRecord, bounded, plausible_date

MOTOR_NERVES = ("median", "ulnar", "peroneal", "tibial")
SENSORY_NERVES = ("median", "ulnar", "radial", "sural", "superficial_peroneal")


class Nerve(models.TextChoices):
    MEDIAN = "median", "Median"
    ULNAR = "ulnar", "Ulnar"
    PERONEAL = "peroneal", "Peroneal (fibular)"
    TIBIAL = "tibial", "Tibial"
    RADIAL = "radial", "Radial"
    SURAL = "sural", "Sural"
    SUPERFICIAL_PERONEAL = "superficial_peroneal", "Superficial peroneal"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class Site(models.TextChoices):
    DISTAL = "", "Distal"
    WRIST = "wrist", "Wrist"
    ELBOW = "elbow", "Elbow"
    BELOW_ELBOW = "below_elbow", "Below elbow"
    ABOVE_ELBOW = "above_elbow", "Above elbow"
    ANKLE = "ankle", "Ankle"
    FIBULAR_HEAD = "fibular_head", "Fibular head"
    POPLITEAL_FOSSA = "popliteal_fossa", "Popliteal fossa"


class NcsKind(models.TextChoices):
    MOTOR = "motor", "Motor"
    SENSORY = "sensory", "Sensory"


class SummaryCategory(models.TextChoices):
    NORMAL = "normal", "Normal"
    DEMYELINATING = "demyelinating", "Demyelinating"
    AXONAL = "axonal", "Axonal"
    MIXED = "mixed", "Mixed"
    NOT_CLASSIFIABLE = "not_classifiable", "Not classifiable"


class NerveConductionStudy(ClinicalRecord):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.PROTECT, related_name="nerve_studies")
    study_date = models.DateField(validators=[plausible_date])
    lab = models.CharField(max_length=80, blank=True)
    examiner = models.CharField(max_length=80, blank=True)
    temperature_c = models.DecimalField(
        "Limb temperature",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Limb temperature", 20.0, 40.0, "°C"),
        help_text="°C",
    )
    summary_category = models.CharField(max_length=20, choices=SummaryCategory.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-study_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "study_date"],
                condition=FINAL_ONLY,
                name="ncs_study_natural_key",
                violation_error_message="A nerve conduction study on this date is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"Nerve conduction study on {self.study_date}"


class NerveConductionResult(ClinicalRecord):
    study = models.ForeignKey(NerveConductionStudy, on_delete=models.PROTECT, related_name="results")
    nerve = models.CharField(max_length=24, choices=Nerve.choices)
    side = models.CharField(max_length=5, choices=Side.choices)
    site = models.CharField(max_length=16, choices=Site.choices, blank=True)
    kind = models.CharField(max_length=7, choices=NcsKind.choices)
    cmap_amp_mv = models.DecimalField(
        "CMAP amplitude",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded("CMAP amplitude", 0.0, 30.0, "mV"),
        help_text="mV",
    )
    dml_ms = models.DecimalField(
        "Distal motor latency",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Distal motor latency", 0.5, 30.0, "ms"),
        help_text="ms",
    )
    cv_ms = models.DecimalField(
        "Conduction velocity",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("Conduction velocity", 5.0, 90.0, "m/s"),
        help_text="m/s",
    )
    f_min_latency_ms = models.DecimalField(
        "F-wave minimum latency",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("F-wave minimum latency", 15.0, 100.0, "ms"),
        help_text="ms",
    )
    snap_amp_uv = models.DecimalField(
        "SNAP amplitude",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=bounded("SNAP amplitude", 0.0, 200.0, "µV"),
        help_text="µV",
    )
    absent = models.BooleanField("Response absent", default=False)

    class Meta:
        ordering = ["kind", "nerve", "side", "site"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "nerve", "side", "kind", "site"],
                condition=FINAL_ONLY,
                name="ncs_result_natural_key",
                violation_error_message="This nerve, side, site and kind is already in the study.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.get_nerve_display()} {self.kind} ({self.get_site_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == NcsKind.MOTOR:
            if self.nerve not in MOTOR_NERVES:
                raise ValidationError({"nerve": f"Motor studies take {', '.join(MOTOR_NERVES)}."})
            if self.snap_amp_uv is not None:
                raise ValidationError({"snap_amp_uv": "SNAP amplitude belongs to a sensory study."})
        elif self.kind == NcsKind.SENSORY:
            if self.nerve not in SENSORY_NERVES:
                raise ValidationError({"nerve": f"Sensory studies take {', '.join(SENSORY_NERVES)}."})
            if self.cmap_amp_mv is not None or self.dml_ms is not None or self.f_min_latency_ms is not None:
                raise ValidationError({"cmap_amp_mv": "CMAP amplitude, DML and F-wave belong to a motor study."})
