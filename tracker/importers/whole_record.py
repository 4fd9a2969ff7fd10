"""CSV kinds for the rest of the follow-up record (INTERFACES.md section 1): `marrow`."""

from tracker.importers.base import Kind
from tracker.importers.columns import model_column
from tracker.importers.records import CLINIC, MRN, compares_of
from tracker.models import MarrowBiopsy

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
