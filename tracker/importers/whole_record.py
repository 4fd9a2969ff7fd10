"""CSV kinds for the rest of the follow-up record (INTERFACES.md section 1): `marrow`, `events`."""

from tracker.importers.base import Kind
from tracker.importers.columns import model_column
from tracker.importers.records import CLINIC, MRN, compares_of
from tracker.models import ClinicalEvent, MarrowBiopsy

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
