"""CSV import of the whole record (INTERFACES.md section 1): one engine, one kind per CSV.

`KINDS` maps each KIND of `manage.py import_csv KIND FILE` to its column set; `runs` starts
audited runs for the command and the web page. Each record type names its kind in
`tracker.record_types` (which sits above this package, so this list cannot be read from it);
`tests/test_record_types.py` checks the two agree.
"""

from tracker.importers.base import Kind
from tracker.importers.labs import LabKind
from tracker.importers.ncs import NcsImportKind
from tracker.importers.patients import PatientKind
from tracker.importers.records import ImagingKind, SymptomKind, TreatmentKind, VisitKind
from tracker.importers.whole_record import (
    EventImportKind,
    LesionImportKind,
    MarrowKind,
    MedicationImportKind,
    ReferralImportKind,
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        PatientKind(),
        TreatmentKind(),
        LabKind(),
        VisitKind(),
        SymptomKind(),
        NcsImportKind(),
        ImagingKind(),
        MarrowKind(),
        EventImportKind(),
        LesionImportKind(),
        MedicationImportKind(),
        ReferralImportKind(),
    )
}

__all__ = ["KINDS", "Kind"]
