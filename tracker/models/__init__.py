"""Models, one module per part of the record; import them from here."""

from tracker.models.accounts import AccountAction, PasswordResetRequest, PatientRead, StaffInvite  # noqa: F401
from tracker.models.base import AuditedModel, ClinicalRecord, RecordStatus
from tracker.models.clinic import AuthEvent, Clinic
from tracker.models.events import RELAPSE_EVENTS, ClinicalEvent, EventKind
from tracker.models.exports import ExportFormat, ExportRun, ExportSource, ExportStatus, FhirUpload, FhirUploadStatus  # noqa: F401
from tracker.models.flags import Flag, FlagStatus, Severity
from tracker.models.imaging import ImagingResponse, ImagingStudy, Modality
from tracker.models.imports import ImportKind, ImportRun, ImportSource, ImportStatus  # noqa: F401
from tracker.models.labs import LabResult, LabSource
from tracker.models.lesions import Appearance, ImagingLesion, LesionStatus
from tracker.models.marrow import Clonality, MarrowBiopsy
from tracker.models.ncs import NcsKind, Nerve, NerveConductionResult, NerveConductionStudy, Side, Site
from tracker.models.patients import DiagnosticChecklist, LightChain, Patient, Sex
from tracker.models.portal import PatientPortal  # noqa: F401  (portal settings, re-exported)
from tracker.models.schedule import CalendarFeed, PlanItem, ReminderKind, ReminderLog, ReminderStatus  # noqa: F401
from tracker.models.supportive import (
    DoseUnit,
    Drug,
    DrugClass,
    Medication,
    Referral,
    ReferralService,
    ReferralStatus,
)
from tracker.models.symptoms import SYMPTOM_CODES, SYMPTOM_ITEMS, SymptomReport, SymptomSource
from tracker.models.treatments import EngraftmentSyndrome, Intent, Treatment, TreatmentCategory
from tracker.models.visits import Visit
from tracker.models.worklist import JobRun, JobStatus, WorklistEntry  # noqa: F401  (worklist and jobs)

__all__ = [
    "AuditedModel",
    "AuthEvent",
    "ClinicalRecord",
    "Clinic",
    "DiagnosticChecklist",
    "EngraftmentSyndrome",
    "Flag",
    "FlagStatus",
    "ImagingResponse",
    "ImagingStudy",
    "Intent",
    "LabResult",
    "LabSource",
    "LightChain",
    "Clonality",
    "ClinicalEvent",
    "Appearance",
    "ImagingLesion",
    "LesionStatus",
    "EventKind",
    "RELAPSE_EVENTS",
    "MarrowBiopsy",
    "DoseUnit",
    "Drug",
    "DrugClass",
    "Medication",
    "Referral",
    "ReferralService",
    "ReferralStatus",
    "Modality",
    "NcsKind",
    "Nerve",
    "NerveConductionResult",
    "NerveConductionStudy",
    "Patient",
    "RecordStatus",
    "Severity",
    "Sex",
    "Side",
    "Site",
    "SYMPTOM_CODES",
    "SYMPTOM_ITEMS",
    "SymptomReport",
    "SymptomSource",
    "Treatment",
    "TreatmentCategory",
    "Visit",
]
