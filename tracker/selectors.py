"""The read path: querysets with their joins done, and the series loader for the rules.

Each function states its query cost; tests pin them with django_assert_num_queries.
"""

from django.db.models import Q, QuerySet

from tracker.models import (
    SYMPTOM_CODES,
    DiagnosticChecklist,
    Flag,
    FlagStatus,
    ImagingStudy,
    LabResult,
    NerveConductionResult,
    NerveConductionStudy,
    Patient,
    RecordStatus,
    SymptomReport,
    Treatment,
    Visit,
)
from tracker.rules.data import (
    ImagingPoint,
    LabPoint,
    NcsPoint,
    PatientData,
    SymptomPoint,
    TreatmentPoint,
    VisitPoint,
)

FINAL = RecordStatus.FINAL


def patient_search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """Patients matching an MRN or a name (each word must match given or family name). One query."""
    patients = patients.filter(status=FINAL).select_related("clinic")
    for word in query.split():
        patients = patients.filter(
            Q(mrn__icontains=word) | Q(given_name__icontains=word) | Q(family_name__icontains=word)
        )
    return patients.order_by("family_name", "given_name", "mrn")


def patient_record(patient: Patient) -> dict:
    """Everything the patient page lists, newest first, entered-in-error rows included
    (shown struck through). A fixed number of queries, whatever the length of follow-up."""
    return {
        "checklist": DiagnosticChecklist.objects.filter(patient=patient).first(),
        "treatments": list(patient.treatments.select_related("engraftment_syndrome").order_by("-start_date", "-id")),
        "visits": list(patient.visits.select_related("clinician").order_by("-visit_date", "-id")),
        "labs": list(patient.lab_results.order_by("-collected_on", "analyte", "-id")),
        "nerve_studies": list(
            NerveConductionStudy.objects.filter(patient=patient).prefetch_related("results").order_by("-study_date")
        ),
        "imaging": list(patient.imaging_studies.order_by("-study_date", "-id")),
        "symptoms": list(patient.symptom_reports.select_related("reviewed_by").order_by("-reported_on", "-id")),
        "flags": list(
            Flag.objects.filter(patient=patient, status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]).order_by(
                "-severity_rank", "-raised_on"
            )
        ),
    }


def patient_rule_data(patient: Patient) -> PatientData:
    """The patient's valid record as plain series for tracker.rules. Six queries."""
    labs = tuple(
        LabPoint(
            id=row["id"],
            analyte=row["analyte"],
            specimen=row["specimen"],
            lab=row["lab"],
            assay=row["assay"],
            collected_on=row["collected_on"],
            value=row["value_canonical"],
            comparator=row["comparator"],
            category=row["category"],
            detail=row["detail"],
            unit=row["unit_canonical"],
            ref_low=row["ref_low"],
            ref_high=row["ref_high"],
            confounders=tuple(row["confounders"] or ()),
        )
        for row in LabResult.objects.filter(patient=patient, status=FINAL)
        .order_by("collected_on", "id")
        .values(
            "id",
            "analyte",
            "specimen",
            "lab",
            "assay",
            "collected_on",
            "value_canonical",
            "comparator",
            "category",
            "detail",
            "unit_canonical",
            "ref_low",
            "ref_high",
            "confounders",
        )
    )
    treatments = tuple(
        TreatmentPoint(
            id=t.id,
            category=t.category,
            agents=tuple(t.agents or ()),
            intent=t.intent,
            line=t.line,
            start_date=t.start_date,
            end_date=t.end_date,
            anchor_date=t.response_anchor,
        )
        for t in Treatment.objects.filter(patient=patient, status=FINAL).order_by("start_date", "id")
    )
    visits = tuple(
        VisitPoint(
            id=row["id"],
            visit_date=row["visit_date"],
            onls_arm=row["onls_arm"],
            onls_leg=row["onls_leg"],
            incat_arm=row["incat_arm"],
            incat_leg=row["incat_leg"],
            mrs=row["mrs"],
            ecog=row["ecog"],
            weight_kg=row["weight_kg"],
        )
        for row in Visit.objects.filter(patient=patient, status=FINAL)
        .order_by("visit_date", "id")
        .values("id", "visit_date", "onls_arm", "onls_leg", "incat_arm", "incat_leg", "mrs", "ecog", "weight_kg")
    )
    ncs = tuple(
        NcsPoint(
            id=row["id"],
            study_date=row["study__study_date"],
            lab=row["study__lab"],
            nerve=row["nerve"],
            side=row["side"],
            site=row["site"],
            kind=row["kind"],
            cmap_amp_mv=row["cmap_amp_mv"],
            cv_ms=row["cv_ms"],
            snap_amp_uv=row["snap_amp_uv"],
            absent=row["absent"],
        )
        for row in NerveConductionResult.objects.filter(study__patient=patient, status=FINAL, study__status=FINAL)
        .order_by("study__study_date", "id")
        .values(
            "id",
            "study__study_date",
            "study__lab",
            "nerve",
            "side",
            "site",
            "kind",
            "cmap_amp_mv",
            "cv_ms",
            "snap_amp_uv",
            "absent",
        )
    )
    imaging = tuple(
        ImagingPoint(
            id=row["id"],
            study_date=row["study_date"],
            modality=row["modality"],
            response_category=row["response_category"],
            new_lesion=row["new_lesion"],
        )
        for row in ImagingStudy.objects.filter(patient=patient, status=FINAL)
        .order_by("study_date", "id")
        .values("id", "study_date", "modality", "response_category", "new_lesion")
    )
    symptoms = tuple(
        SymptomPoint(
            id=row["id"],
            reported_on=row["reported_on"],
            items={code: row[code] for code in SYMPTOM_CODES},
            weight_kg=row["weight_kg"],
        )
        for row in SymptomReport.objects.filter(patient=patient, status=FINAL)
        .order_by("reported_on", "id")
        .values("id", "reported_on", "weight_kg", *SYMPTOM_CODES)
    )
    return PatientData(
        sex=patient.sex, labs=labs, treatments=treatments, visits=visits, ncs=ncs, imaging=imaging, symptoms=symptoms
    )
