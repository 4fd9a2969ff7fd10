"""What each kind of clinical record is, in one table: its model, staff form, create service,
CSV import kind, the words people use for it, its rule-input builder and its evidence label.

Views (create, edit, entered in error, history), the flag page's evidence, the import page,
the timeline and the service tests iterate over `RECORD_TYPES`; none of them lists record
kinds of its own. Adding a record type is one `RecordType` entry here plus its model, form
and service (docs/ARCHITECTURE.md, "Adding a record type").

Layer: above forms, services, importers and selectors (it names them all); below views and
presenters, which read it. Nothing below this module may import it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tracker.forms.staff import ImagingForm, SymptomReportForm, TreatmentForm, VisitForm
from tracker.forms.whole_record import EventForm, LesionForm, MarrowForm, MedicationForm, ReferralForm
from tracker.importers.base import Kind
from tracker.importers.labs import LabKind
from tracker.importers.ncs import NcsImportKind
from tracker.importers.records import ImagingKind, SymptomKind, TreatmentKind, VisitKind
from tracker.importers.whole_record import (
    EventImportKind,
    LesionImportKind,
    MarrowKind,
    MedicationImportKind,
    ReferralImportKind,
)
from tracker.models import (
    ClinicalEvent,
    DiagnosticChecklist,
    EngraftmentSyndrome,
    Flag,
    ImagingLesion,
    ImagingStudy,
    LabResult,
    MarrowBiopsy,
    Medication,
    NerveConductionResult,
    NerveConductionStudy,
    Patient,
    Referral,
    SymptomReport,
    SymptomSource,
    Treatment,
    Visit,
)
from tracker.selectors import points
from tracker.services.labs import lab_result_record
from tracker.services.records import (
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)
from tracker.services.whole_record import (
    event_record,
    lesion_record,
    marrow_record,
    medication_record,
    referral_record,
)


def _no_defaults(actor) -> dict:
    return {}


def _lab_evidence(record: LabResult) -> str:
    return f"{record.label} {record.display_value}, {record.collected_on:%Y-%m-%d}"


@dataclass(frozen=True)
class RecordType:
    """One kind of clinical record. `kind` is its name in URLs (/records/<kind>/...)."""

    kind: str
    model: type
    noun: str  # "imaging study": "Add an imaging study", "Saved the imaging study."
    section: str  # the patient page's section for this kind (#imaging)
    form: type | None = None  # the generic add/edit form; None: the kind has a page of its own
    create: Callable | None = None  # the service that saves a new record (keyword-only)
    # Fields the staff form does not ask for but the create service needs, from the acting user.
    staff_defaults: Callable[[object], dict] = _no_defaults
    import_kind: type[Kind] | None = None  # the CSV kind of `manage.py import_csv`
    # The rule-input builder (tracker.selectors.points), reading the model's named attributes,
    # and the PatientData series it fills (None: not a rule input).
    point: Callable | None = None
    series: str = ""
    date_field: str = ""  # the clinical date that orders the series
    # Flag evidence lists this kind's ids under a key ending in `evidence_key`; the flag page
    # links each to the patient-page row `#<row_anchor>-<id>`, named by `evidence_label`.
    evidence_key: str = ""
    row_anchor: str = ""
    evidence_label: Callable[[object], str] = str
    entry: bool = True  # a clinical entry: the generic add/edit/entered-in-error pages serve it
    history: bool = True  # its history page exists


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        kind="treatment",
        model=Treatment,
        noun="treatment",
        section="treatments",
        form=TreatmentForm,
        create=treatment_record,
        import_kind=TreatmentKind,
        point=points.treatment_point,
        series="treatments",
        date_field="start_date",
        evidence_key="treatment_ids",
        row_anchor="treatment",
    ),
    RecordType(
        kind="visit",
        model=Visit,
        noun="visit",
        section="visits",
        form=VisitForm,
        create=visit_record,
        staff_defaults=lambda actor: {"clinician": actor},
        import_kind=VisitKind,
        point=points.visit_point,
        series="visits",
        date_field="visit_date",
        evidence_key="visit_ids",
        row_anchor="visit",
    ),
    RecordType(
        kind="imaging",
        model=ImagingStudy,
        noun="imaging study",
        section="imaging",
        form=ImagingForm,
        create=imaging_record,
        import_kind=ImagingKind,
        point=points.imaging_point,
        series="imaging",
        date_field="study_date",
        evidence_key="imaging_ids",
        row_anchor="imaging",
    ),
    RecordType(
        kind="symptoms",
        model=SymptomReport,
        noun="symptom report",
        section="symptoms",
        form=SymptomReportForm,
        create=symptom_report_record,
        staff_defaults=lambda actor: {"source": SymptomSource.STAFF},
        import_kind=SymptomKind,
        point=points.symptom_point,
        series="symptoms",
        date_field="reported_on",
        evidence_key="symptom_ids",
        row_anchor="symptoms",
    ),
    RecordType(
        kind="lab",
        model=LabResult,
        noun="lab result",
        section="labs",
        create=lab_result_record,
        import_kind=LabKind,
        point=points.lab_point,
        series="labs",
        date_field="collected_on",
        evidence_key="lab_result_ids",
        row_anchor="lab",
        evidence_label=_lab_evidence,
    ),
    RecordType(
        kind="ncs",
        model=NerveConductionStudy,
        noun="nerve conduction study",
        section="ncs",
        create=ncs_study_record,
        date_field="study_date",
    ),
    RecordType(
        kind="marrow",
        model=MarrowBiopsy,
        noun="bone marrow biopsy",
        section="marrow",
        form=MarrowForm,
        create=marrow_record,
        import_kind=MarrowKind,
        point=points.marrow_point,  # haematological CR needs < 5% marrow plasma cells (IMWG)
        series="marrow",
        date_field="biopsy_date",
    ),
    RecordType(
        kind="event",
        model=ClinicalEvent,
        noun="clinical event",
        section="events",
        form=EventForm,
        create=event_record,
        import_kind=EventImportKind,
        date_field="onset_date",
    ),
    RecordType(
        kind="lesion",
        model=ImagingLesion,
        noun="imaging lesion",
        section="imaging",
        form=LesionForm,
        create=lesion_record,
        import_kind=LesionImportKind,
        date_field="study_date",
    ),
    RecordType(
        kind="medication",
        model=Medication,
        noun="medication",
        section="medications",
        form=MedicationForm,
        create=medication_record,
        import_kind=MedicationImportKind,
        date_field="start_date",
    ),
    RecordType(
        kind="referral",
        model=Referral,
        noun="referral",
        section="referrals",
        form=ReferralForm,
        create=referral_record,
        import_kind=ReferralImportKind,
        date_field="referred_on",
    ),
    # Records that are part of another one, or not clinical entries: history and evidence only.
    RecordType(
        kind="ncsresult",
        model=NerveConductionResult,
        noun="nerve conduction result",
        section="ncs",
        import_kind=NcsImportKind,  # one CSV row per result; the import makes the studies
        point=points.ncs_point,
        series="ncs",
        evidence_key="ncs_ids",
        row_anchor="ncsresult",
        entry=False,
        history=False,
    ),
    RecordType(kind="patient", model=Patient, noun="patient", section="top", entry=False),
    RecordType(
        kind="checklist", model=DiagnosticChecklist, noun="diagnostic checklist", section="checklist", entry=False
    ),
    RecordType(
        kind="engraftment",
        model=EngraftmentSyndrome,
        noun="engraftment syndrome record",
        section="treatments",
        entry=False,
    ),
    RecordType(kind="flag", model=Flag, noun="flag", section="flags", entry=False),
)

BY_KIND: dict[str, RecordType] = {rt.kind: rt for rt in RECORD_TYPES}


def entry_type(kind: str) -> RecordType | None:
    """The clinical entry `kind` of a URL, or None (the page then answers 404)."""
    found = BY_KIND.get(kind)
    return found if found is not None and found.entry else None


def history_type(kind: str) -> RecordType | None:
    found = BY_KIND.get(kind)
    return found if found is not None and found.history else None


def with_evidence() -> tuple[RecordType, ...]:
    """The kinds a flag's evidence can name, in the order the flag page lists them."""
    return tuple(rt for rt in RECORD_TYPES if rt.evidence_key)


def rule_series() -> tuple[RecordType, ...]:
    """The kinds that are rule inputs, each filling one PatientData series."""
    return tuple(rt for rt in RECORD_TYPES if rt.series)
