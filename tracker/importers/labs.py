"""The labs kind: every row goes through lab_result_build, the staff form's own validation.

The catalogue converts the unit (blank: canonical), parses '<5' and '>2000', checks the
plausible range and stores the report's reference range converted from the row's unit.
"""

from tracker import catalogue
from tracker.importers.base import Kind
from tracker.importers.columns import Column
from tracker.importers.records import CLINIC, MRN
from tracker.models import LabResult, LabSource, RecordStatus
from tracker.services.labs import lab_result_build

_SPECIMEN_REQUIRED = tuple(code for code, analyte in catalogue.ANALYTES.items() if analyte.specimen_required)

_COLUMNS = (
    MRN,
    Column("collected_on", parse="date", required=True, field=LabResult._meta.get_field("collected_on")),
    Column("analyte", required=True, help=f"One of {', '.join(catalogue.ANALYTES)} (units and ranges below)."),
    Column(
        "value",
        required=True,
        blank_cell_ok=True,
        help="A number with '.' for decimals, optionally with '<' or '>' before it (<5). For ife one of "
        f"{', '.join(catalogue.IFE_CATEGORY_CODES)}.",
    ),
    Column("unit", help="Any accepted unit of the analyte (table below). Blank: the canonical unit."),
    Column(
        "specimen",
        help=f"One of {', '.join(catalogue.SPECIMEN_CODES)}. Required for {', '.join(_SPECIMEN_REQUIRED)}; "
        "blank for the others means the analyte's usual specimen. Serum and plasma VEGF are never compared.",
    ),
    Column("ref_low", help="The report's lower reference limit, in the row's unit. Blank: the catalogue's range."),
    Column("ref_high", help="The report's upper reference limit, in the row's unit."),
    Column("lab", field=LabResult._meta.get_field("lab"), help="The laboratory; a new lab starts a new series."),
    Column("assay", field=LabResult._meta.get_field("assay"), help="For example ELISA or ECL."),
    Column("detail", field=LabResult._meta.get_field("detail"), help="For ife: the paraprotein type, e.g. IgA-lambda."),
    Column(
        "confounders",
        parse="list",
        help=f"';'-separated, each one of {', '.join(catalogue.CONFOUNDER_CODES)}.",
    ),
    CLINIC,
)


class LabKind(Kind):
    name = "labs"
    model = LabResult
    columns = _COLUMNS
    key_fields = ("patient_id", "analyte", "specimen", "lab", "collected_on")
    key_columns = ("mrn", "analyte", "specimen", "lab", "collected_on")
    date_field = "collected_on"
    compares = {
        "value": ("comparator", "value_canonical", "category"),
        "unit": ("unit_canonical",),
        "ref_low": ("ref_low",),
        "ref_high": ("ref_high",),
        "assay": ("assay",),
        "detail": ("detail",),
        "confounders": ("confounders",),
    }
    field_columns = {"value_as_entered": "value", "unit_as_entered": "unit", "collected_on": "collected_on"}

    def build(self, state, engine) -> LabResult:
        v = state.values
        return lab_result_build(
            patient=state.patient,
            analyte=v["analyte"],
            collected_on=v["collected_on"],
            value=v["value"],
            unit=v["unit"],
            specimen=v["specimen"],
            detail=v["detail"],
            ref_low=v["ref_low"] or None,
            ref_high=v["ref_high"] or None,
            lab=v["lab"],
            assay=v["assay"],
            confounders=v["confounders"],
            source=LabSource.IMPORT,
        )

    def existing(self, states, engine=None) -> dict:
        found = LabResult.objects.filter(
            status=RecordStatus.FINAL,
            patient_id__in={s.instance.patient_id for s in states},
            collected_on__in={s.instance.collected_on for s in states},
            analyte__in={s.instance.analyte for s in states},
        )
        return {self.key(record): record for record in found}

    def shown(self, record, column: str) -> str:
        if column == "value":
            return record.display_value
        return super().shown(record, column)

    def changes(self, instance, header) -> dict:
        """A new value also replaces the value and unit as entered (the old ones stay in history)."""
        changes = super().changes(instance, header)
        changes.update(value_as_entered=instance.value_as_entered, unit_as_entered=instance.unit_as_entered)
        changes["unit_canonical"] = instance.unit_canonical
        return changes
