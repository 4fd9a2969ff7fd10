"""Patients and their diagnostic checklist (POEMS-DOMAIN.md section 1)."""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models

from tracker.models.base import AuditedModel, ClinicalRecord, bounded, plausible_date


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class LightChain(models.TextChoices):
    LAMBDA = "lambda", "Lambda"
    KAPPA = "kappa", "Kappa"
    UNKNOWN = "unknown", "Unknown"


mrn_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,31}$",
    "MRN must be 1 to 32 letters, digits, '-', '/', '_' or '.', starting with a letter or digit.",
)


def not_in_future(value: datetime.date) -> None:
    if value > datetime.date.today():
        raise ValidationError(f"Date {value.isoformat()} is in the future.")


class Patient(ClinicalRecord):
    mrn = models.CharField(
        "MRN",
        max_length=32,
        validators=[mrn_validator],
        help_text="The hospital number: unique within its clinic (another clinic may use the same number).",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField(validators=[not_in_future])
    sex = models.CharField(max_length=10, choices=Sex.choices)
    clinic = models.ForeignKey("tracker.Clinic", on_delete=models.PROTECT, related_name="patients")
    diagnosis_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    light_chain = models.CharField(max_length=10, choices=LightChain.choices, default=LightChain.UNKNOWN)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_profile",
        help_text="The patient's own portal account, if invited.",
    )
    report_interval_days = models.PositiveSmallIntegerField(
        default=28,
        validators=bounded("Report interval", 7, 365, "days"),
        help_text="How often the patient is asked for a symptom report, in days.",
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "mrn"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "mrn"],
                name="patient_mrn_per_clinic",
                violation_error_code="mrn_taken",
                violation_error_message="Patient with this MRN already exists. An MRN is unique within its clinic.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def validate_constraints(self, exclude=None) -> None:
        """The per-clinic MRN clash is shown beside the MRN, where it is typed."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if getattr(e, "code", None) == "mrn_taken"]
            rest = [e for e in general if getattr(e, "code", None) != "mrn_taken"]
            if taken:
                errors.setdefault("mrn", []).extend(taken)
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    def clean(self) -> None:
        if self.birth_date and self.birth_date < datetime.date(1900, 1, 1):
            raise ValidationError({"birth_date": "Birth date must be on or after 1900-01-01."})
        if self.birth_date and self.diagnosis_date and self.diagnosis_date < self.birth_date:
            raise ValidationError({"diagnosis_date": "Diagnosis date cannot be before the birth date."})


ORGANOMEGALY = (
    ("splenomegaly", "Splenomegaly"),
    ("hepatomegaly", "Hepatomegaly"),
    ("lymphadenopathy", "Lymphadenopathy"),
)
VOLUME_OVERLOAD = (("oedema", "Oedema"), ("pleural_effusion", "Pleural effusion"), ("ascites", "Ascites"))
ENDOCRINOPATHY = (
    ("adrenal", "Adrenal"),
    ("thyroid", "Thyroid"),
    ("pituitary", "Pituitary"),
    ("gonadal", "Gonadal"),
    ("parathyroid", "Parathyroid"),
    ("pancreatic", "Pancreatic (diabetes)"),
)
SKIN_CHANGES = (
    ("hyperpigmentation", "Hyperpigmentation"),
    ("hypertrichosis", "Hypertrichosis"),
    ("glomeruloid_haemangiomata", "Glomeruloid haemangiomata"),
    ("plethora", "Plethora"),
    ("acrocyanosis", "Acrocyanosis"),
    ("flushing", "Flushing"),
    ("white_nails", "White nails"),
)
OTHER_SIGNS = (
    ("clubbing", "Clubbing"),
    ("weight_loss", "Weight loss"),
    ("hyperhidrosis", "Hyperhidrosis"),
    ("pulmonary_hypertension_or_restrictive_lung", "Pulmonary hypertension or restrictive lung disease"),
    ("thrombotic_diathesis", "Thrombotic diathesis"),
    ("diarrhoea", "Diarrhoea"),
    ("low_vitamin_B12", "Low vitamin B12"),
)

CRITERIA_VERSION = "Dispenzieri (How I treat 2012; AJH updates 2019/2021/2023)"
OTHER_MAJOR = ("castleman_disease", "sclerotic_bone_lesions", "vegf_elevated")
MINOR = (
    "organomegaly",
    "extravascular_volume_overload",
    "endocrinopathy",
    "skin_changes",
    "papilloedema",
    "thrombocytosis_or_polycythaemia",
)


class DiagnosticChecklist(AuditedModel):
    """The Dispenzieri criteria for one patient; `diagnosis_met` is derived, never stored."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="checklist")
    criteria_version = models.CharField(max_length=120, default=CRITERIA_VERSION, editable=False)
    polyradiculoneuropathy = models.BooleanField(default=False)
    clonal_plasma_cell_disorder = models.BooleanField(default=False)
    castleman_disease = models.BooleanField(default=False)
    sclerotic_bone_lesions = models.BooleanField(default=False)
    vegf_elevated = models.BooleanField(default=False)
    organomegaly = models.BooleanField(default=False)
    organomegaly_sites = models.JSONField(default=list, blank=True)
    extravascular_volume_overload = models.BooleanField(default=False)
    volume_overload_sites = models.JSONField(default=list, blank=True)
    endocrinopathy = models.BooleanField(default=False)
    endocrine_axes = models.JSONField(default=list, blank=True)
    skin_changes = models.BooleanField(default=False)
    skin_findings = models.JSONField(default=list, blank=True)
    papilloedema = models.BooleanField(default=False)
    thrombocytosis_or_polycythaemia = models.BooleanField(default=False)
    other_signs = models.JSONField(default=list, blank=True)
    castleman_variant_no_clonal_pcd = models.BooleanField(
        "Castleman variant without clonal plasma-cell disorder", default=False
    )
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Diagnostic checklist for {self.patient}"

    def clean(self) -> None:
        lists = {
            "organomegaly_sites": ORGANOMEGALY,
            "volume_overload_sites": VOLUME_OVERLOAD,
            "endocrine_axes": ENDOCRINOPATHY,
            "skin_findings": SKIN_CHANGES,
            "other_signs": OTHER_SIGNS,
        }
        errors = {}
        for name, choices in lists.items():
            allowed = [code for code, _ in choices]
            unknown = [item for item in getattr(self, name) or [] if item not in allowed]
            if unknown:
                errors[name] = f"Unknown {', '.join(map(str, unknown))}; allowed: {', '.join(allowed)}."
        if errors:
            raise ValidationError(errors)

    @property
    def n_other_major(self) -> int:
        return sum(bool(getattr(self, name)) for name in OTHER_MAJOR)

    @property
    def n_minor(self) -> int:
        return sum(bool(getattr(self, name)) for name in MINOR)

    @property
    def diagnosis_met(self) -> bool:
        if self.castleman_variant_no_clonal_pcd:
            return False
        return (
            self.polyradiculoneuropathy
            and self.clonal_plasma_cell_disorder
            and self.n_other_major >= 1
            and self.n_minor >= 1
        )

    @property
    def endocrine_warning(self) -> str:
        """The domain's warning when only thyroid and/or diabetes is ticked as endocrinopathy."""
        axes = set(self.endocrine_axes or [])
        if self.endocrinopathy and axes and axes <= {"thyroid", "pancreatic"}:
            return "Diabetes mellitus or thyroid abnormality alone is not sufficient for the endocrinopathy criterion."
        return ""
