"""Kinds whose row is one record of one patient: treatments, visits, symptoms and imaging.

Each row becomes `Model(patient=..., **fields)` and goes through the model's own checks
(field bounds, `clean()`), exactly as the staff forms' services do.
"""

from tracker.importers.base import Kind
from tracker.importers.columns import Column, model_column
from tracker.models import SYMPTOM_CODES, ImagingStudy, SymptomReport, SymptomSource, Treatment, Visit
from tracker.models.treatments import AGENT_CODES

MRN = Column("mrn", required=True, help="The patient's MRN. The patient must exist already (import patients first).")
CLINIC = Column(
    "clinic",
    help="The clinic code of the patient's MRN (an MRN is unique within its clinic). Needed only when you "
    "belong to more than one clinic and the MRN is registered in several of them.",
)


def compares_of(kind_columns, *exclude: str) -> dict[str, tuple[str, ...]]:
    """Column -> (model field,) for every column that fills a field and is not in the key."""
    return {
        column.name: (column.field.name,)
        for column in kind_columns
        if column.field is not None and column.name not in exclude
    }


_TREATMENT_COLUMNS = (
    MRN,
    model_column(Treatment, "category", required=True),
    model_column(Treatment, "start_date", required=True),
    model_column(Treatment, "regimen", help='Free text, for example "MDex", "Rd", "HDM-ASCT".'),
    model_column(Treatment, "agents", choices=AGENT_CODES, help="The drugs given."),
    model_column(Treatment, "intent"),
    model_column(Treatment, "line", help="Line of therapy, a whole number from 1."),
    model_column(Treatment, "end_date", help="Blank while ongoing."),
    model_column(
        Treatment,
        "anchor_date",
        help="The response anchor T0. Blank: the end date of a radiotherapy, ASCT or frontline treatment; "
        "none for other treatments.",
    ),
    model_column(Treatment, "total_dose_gy", help="Radiotherapy only."),
    model_column(Treatment, "fractions", help="Radiotherapy only."),
    model_column(Treatment, "melphalan_mg_m2", help="ASCT only."),
    model_column(Treatment, "notes"),
    CLINIC,
)


class TreatmentKind(Kind):
    name = "treatments"
    model = Treatment
    columns = _TREATMENT_COLUMNS
    key_fields = ("patient_id", "category", "start_date")
    date_field = "start_date"
    key_columns = ("mrn", "category", "start_date")
    compares = compares_of(_TREATMENT_COLUMNS, "mrn", "category", "start_date")


_VISIT_COLUMNS = (
    MRN,
    model_column(Visit, "visit_date", required=True),
    model_column(Visit, "onls_arm"),
    model_column(Visit, "onls_leg"),
    model_column(Visit, "incat_arm"),
    model_column(Visit, "incat_leg"),
    model_column(Visit, "mrs", help="Modified Rankin Scale."),
    model_column(Visit, "ecog", help="ECOG performance status."),
    model_column(Visit, "pain_nrs", help="Neuropathic pain, numeric rating 0-10."),
    model_column(Visit, "weight_kg"),
    model_column(Visit, "mrc_sum", help="MRC sum score, 12 muscles, 0 to 60 points."),
    model_column(Visit, "vibration_sense", help="normal, reduced or absent."),
    model_column(Visit, "reflexes", help="normal, reduced or absent."),
    model_column(Visit, "oedema", help="true or false; blank: not examined."),
    model_column(Visit, "skin_changes", help="true or false; blank: not examined."),
    model_column(Visit, "organomegaly", help="true or false; blank: not examined."),
    model_column(Visit, "papilloedema", help="true or false; blank: not examined."),
    model_column(Visit, "notes"),
    CLINIC,
)


class VisitKind(Kind):
    name = "visits"
    model = Visit
    columns = _VISIT_COLUMNS
    key_fields = ("patient_id", "visit_date")
    date_field = "visit_date"
    key_columns = ("mrn", "visit_date")
    compares = compares_of(_VISIT_COLUMNS, "mrn", "visit_date")


_SYMPTOM_COLUMNS = (
    MRN,
    model_column(SymptomReport, "reported_on", required=True),
    *(model_column(SymptomReport, code) for code in SYMPTOM_CODES),
    model_column(SymptomReport, "weight_kg"),
    model_column(SymptomReport, "other_symptoms", help="Free text."),
    CLINIC,
)


class SymptomKind(Kind):
    """Imported reports are marked source 'import', so nobody mistakes them for the patient's own."""

    name = "symptoms"
    model = SymptomReport
    columns = _SYMPTOM_COLUMNS
    key_fields = ("patient_id", "reported_on")
    date_field = "reported_on"
    key_columns = ("mrn", "reported_on")
    compares = compares_of(_SYMPTOM_COLUMNS, "mrn", "reported_on")
    fixed_values = {"source": SymptomSource.IMPORT}


_IMAGING_COLUMNS = (
    MRN,
    model_column(ImagingStudy, "study_date", required=True),
    model_column(ImagingStudy, "modality", required=True),
    model_column(ImagingStudy, "response_category", help="The radiologist's response category."),
    model_column(ImagingStudy, "new_lesion", help="Blank: false."),
    model_column(ImagingStudy, "notes"),
    CLINIC,
)


class ImagingKind(Kind):
    name = "imaging"
    model = ImagingStudy
    columns = _IMAGING_COLUMNS
    key_fields = ("patient_id", "study_date", "modality")
    date_field = "study_date"
    key_columns = ("mrn", "study_date", "modality")
    compares = compares_of(_IMAGING_COLUMNS, "mrn", "study_date", "modality")
