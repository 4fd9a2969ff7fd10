"""CSV kinds for the rest of the follow-up record (INTERFACES.md section 1): `marrow`, `events`,
`lesions`, `medications`, `referrals`."""

from tracker.importers.base import Kind
from tracker.importers.columns import model_column
from tracker.importers.records import CLINIC, MRN, compares_of
from tracker.models import ClinicalEvent, ImagingLesion, MarrowBiopsy, Medication, Referral

_MARROW_COLUMNS = (
    MRN,
    model_column(MarrowBiopsy, "biopsy_date", required=True),
    model_column(MarrowBiopsy, "plasma_cells_pct", help="% of nucleated marrow cells, 0 to 100."),
    model_column(MarrowBiopsy, "clonality"),
    model_column(MarrowBiopsy, "method"),
    model_column(MarrowBiopsy, "notes"),
    CLINIC,
)


class MarrowKind(Kind):
    name = "marrow"
    model = MarrowBiopsy
    columns = _MARROW_COLUMNS
    key_fields = ("patient_id", "biopsy_date")
    date_field = "biopsy_date"
    key_columns = ("mrn", "biopsy_date")
    compares = compares_of(_MARROW_COLUMNS, "mrn", "biopsy_date")


_EVENT_COLUMNS = (
    MRN,
    model_column(ClinicalEvent, "event", required=True),
    model_column(ClinicalEvent, "onset_date", required=True),
    model_column(ClinicalEvent, "grade", help="CTCAE v5 grade, 1 to 5."),
    model_column(ClinicalEvent, "resolved_on", help="On or after onset_date."),
    model_column(ClinicalEvent, "ctcae_term"),
    model_column(ClinicalEvent, "treatment_related", help="true or false; blank: not assessed."),
    model_column(ClinicalEvent, "cause"),
    model_column(ClinicalEvent, "notes"),
    CLINIC,
)


class EventImportKind(Kind):
    name = "events"
    model = ClinicalEvent
    columns = _EVENT_COLUMNS
    key_fields = ("patient_id", "event", "onset_date")
    date_field = "onset_date"
    key_columns = ("mrn", "event", "onset_date")
    compares = compares_of(_EVENT_COLUMNS, "mrn", "event", "onset_date")


_LESION_COLUMNS = (
    MRN,
    model_column(ImagingLesion, "study_date", required=True, help="The date of a recorded imaging study."),
    model_column(ImagingLesion, "modality", required=True),
    model_column(ImagingLesion, "site", required=True),
    model_column(ImagingLesion, "appearance"),
    model_column(ImagingLesion, "size_mm", help="mm, 0 to 500."),
    model_column(ImagingLesion, "suv_max", help="0 to 100."),
    model_column(ImagingLesion, "status", field_name="lesion_status", help="new, known or resolved."),
    CLINIC,
)


class LesionImportKind(Kind):
    """A lesion row must name a study already recorded (import `imaging` first)."""

    name = "lesions"
    model = ImagingLesion
    columns = _LESION_COLUMNS
    key_fields = ("patient_id", "study_date", "modality", "site")
    date_field = "study_date"
    key_columns = ("mrn", "study_date", "modality", "site")
    compares = compares_of(_LESION_COLUMNS, "mrn", "study_date", "modality", "site")


_MEDICATION_COLUMNS = (
    MRN,
    model_column(Medication, "drug", required=True),
    model_column(Medication, "drug_name", help="The drug's name; needed when drug is other."),
    model_column(Medication, "start_date", required=True),
    model_column(Medication, "stop_date", help="On or after start_date; blank while still taken."),
    model_column(Medication, "purpose", help="Blank: the class of the listed drug (other for a named drug)."),
    model_column(
        Medication,
        "dose",
        help="One dose in dose_unit: 0.01 to 5000 mg, 0.1 to 50000 microgram, 1 to 100000 units (IU).",
    ),
    model_column(Medication, "dose_unit", help="mg, microgram or units (IU); needed with a dose."),
    model_column(Medication, "frequency", help='Free text, for example "twice daily".'),
    model_column(Medication, "notes"),
    CLINIC,
)


class MedicationImportKind(Kind):
    name = "medications"
    model = Medication
    columns = _MEDICATION_COLUMNS
    key_fields = ("patient_id", "drug", "drug_name", "start_date")
    date_field = "start_date"
    key_columns = ("mrn", "drug", "drug_name", "start_date")
    compares = compares_of(_MEDICATION_COLUMNS, "mrn", "drug", "drug_name", "start_date")


_REFERRAL_COLUMNS = (
    MRN,
    model_column(Referral, "service", required=True),
    model_column(Referral, "service_name", help="The service's name; needed when service is other."),
    model_column(Referral, "referred_on", required=True),
    model_column(
        Referral,
        "status",
        field_name="referral_status",
        help="requested, seen, declined or discharged; blank: requested.",
    ),
    model_column(Referral, "status_on", help="On or after referred_on."),
    model_column(Referral, "notes"),
    CLINIC,
)


class ReferralImportKind(Kind):
    name = "referrals"
    model = Referral
    columns = _REFERRAL_COLUMNS
    key_fields = ("patient_id", "service", "service_name", "referred_on")
    date_field = "referred_on"
    key_columns = ("mrn", "service", "service_name", "referred_on")
    compares = compares_of(_REFERRAL_COLUMNS, "mrn", "service", "service_name", "referred_on")
