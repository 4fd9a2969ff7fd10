"""The analyte catalogue: codes, canonical units, accepted units, bounds, reference ranges.

Pure Python, no Django, so that the importer, the forms and the tests share one copy of the
facts of POEMS-DOMAIN.md section 2.2. Validation bounds are engineering plausibility limits
(to catch typos and unit mistakes), never reference ranges; a deployment may override them
through settings.POEMS_ANALYTE_BOUNDS_OVERRIDES.

An analyte whose meaning depends on the specimen (VEGF, M-protein, immunofixation) has one
`AnalyteSpec` per specimen: serum and plasma VEGF are different measurements with different
bounds and limits, and are never compared.

LOINC codes are given only where a published code matches the measurement in its canonical
unit (a moles code for a value kept in mol/L); each cites its LOINC entry. VEGF has no LOINC
code in use for serum or plasma concentration here: exports code it in the project's own code
system, https://poems-tracker.example.org/fhir/CodeSystem/analyte (code `vegf`).
"""

from tracker.catalogue.analytes_chemistry import CHEMISTRY
from tracker.catalogue.analytes_haematology import HAEMATOLOGY
from tracker.catalogue.analytes_record import RECORD
from tracker.catalogue.codes import (
    COMPARATORS,
    CONFOUNDER_CODES,
    CONFOUNDERS,
    IFE_CATEGORIES,
    IFE_CATEGORY_CODES,
    SPECIMEN_CODES,
    SPECIMENS,
)
from tracker.catalogue.convert import (
    Measurement,
    bounds_for,
    convert,
    convert_reference,
    display_unit,
    format_value,
    parse_value,
    stored_unit,
    without_thousands,
)
from tracker.catalogue.spec import Analyte, AnalyteSpec, CatalogueError, RefRange

ANALYTES: dict[str, Analyte] = {analyte.code: analyte for analyte in (*HAEMATOLOGY, *CHEMISTRY, *RECORD)}
ANALYTE_CHOICES = tuple((analyte.code, analyte.label) for analyte in ANALYTES.values())


def get_analyte(code: str) -> Analyte:
    try:
        return ANALYTES[code]
    except KeyError:
        raise CatalogueError(f"unknown analyte {code!r}; allowed: {', '.join(ANALYTES)}", field="analyte") from None


def get_spec(code: str, specimen: str = "") -> AnalyteSpec:
    """The spec of `code` measured in `specimen` (blank: the analyte's usual specimen)."""
    analyte = get_analyte(code)
    if not specimen:
        if analyte.specimen_required:
            raise CatalogueError(
                f"specimen is required for {code}; allowed: {', '.join(analyte.specimens)}", field="specimen"
            )
        specimen = analyte.default_specimen
    try:
        return analyte.specs[specimen]
    except KeyError:
        raise CatalogueError(
            f"specimen {specimen!r} is not accepted for {code}; allowed: {', '.join(analyte.specimens)}",
            field="specimen",
        ) from None


__all__ = [
    "ANALYTES",
    "ANALYTE_CHOICES",
    "COMPARATORS",
    "CONFOUNDERS",
    "CONFOUNDER_CODES",
    "IFE_CATEGORIES",
    "IFE_CATEGORY_CODES",
    "SPECIMENS",
    "SPECIMEN_CODES",
    "Analyte",
    "AnalyteSpec",
    "CatalogueError",
    "Measurement",
    "RefRange",
    "bounds_for",
    "convert",
    "convert_reference",
    "display_unit",
    "format_value",
    "get_analyte",
    "get_spec",
    "parse_value",
    "stored_unit",
    "without_thousands",
]
