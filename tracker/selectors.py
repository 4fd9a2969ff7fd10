"""The read path: querysets with their joins done, and the series loader for the rules.

Each function states its query cost; tests pin them with django_assert_num_queries.
"""

from decimal import Decimal

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


def _plain(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (1343.1000 -> 1343.1, 1000.0000 -> 1000) so explanations read well."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


_LAB_VALUES = (
    *("id", "patient_id", "analyte", "specimen", "lab", "assay", "collected_on", "value_canonical"),
    *("comparator", "category", "detail", "unit_canonical", "ref_low", "ref_high", "confounders"),
)


def lab_point(row) -> LabPoint:
    """A LabPoint from a `.values(*_LAB_VALUES)` row or a LabResult's `__dict__`."""
    return LabPoint(
        id=row["id"],
        analyte=row["analyte"],
        specimen=row["specimen"],
        lab=row["lab"],
        assay=row["assay"],
        collected_on=row["collected_on"],
        value=_plain(row["value_canonical"]),
        comparator=row["comparator"],
        category=row["category"],
        detail=row["detail"],
        unit=row["unit_canonical"],
        ref_low=_plain(row["ref_low"]),
        ref_high=_plain(row["ref_high"]),
        confounders=tuple(row["confounders"] or ()),
    )


def treatment_point(treatment: Treatment) -> TreatmentPoint:
    return TreatmentPoint(
        id=treatment.id,
        category=treatment.category,
        agents=tuple(treatment.agents or ()),
        intent=treatment.intent,
        line=treatment.line,
        start_date=treatment.start_date,
        end_date=treatment.end_date,
        anchor_date=treatment.response_anchor,
    )


SEARCH_WORDS = 5  # more words than a name has only make the query heavier


_VISIT_FIELDS = ("id", "visit_date", "onls_arm", "onls_leg", "incat_arm", "incat_leg", "mrs", "ecog", "weight_kg")
_NCS_FIELDS = ("id", "nerve", "side", "site", "kind", "cmap_amp_mv", "cv_ms", "snap_amp_uv", "absent")
_IMAGING_FIELDS = ("id", "study_date", "modality", "response_category", "new_lesion")


def visit_point(row) -> VisitPoint:
    """A VisitPoint from a `.values()` row or a Visit's `__dict__`."""
    return VisitPoint(
        **{name: row[name] for name in _VISIT_FIELDS if name != "weight_kg"}, weight_kg=_plain(row["weight_kg"])
    )


def ncs_point(row, *, study_date, lab: str) -> NcsPoint:
    """An NcsPoint from a result's `.values()` row or `__dict__`, with its study's date and lab."""
    return NcsPoint(
        id=row["id"],
        study_date=study_date,
        lab=lab,
        nerve=row["nerve"],
        side=row["side"],
        site=row["site"],
        kind=row["kind"],
        cmap_amp_mv=_plain(row["cmap_amp_mv"]),
        cv_ms=_plain(row["cv_ms"]),
        snap_amp_uv=_plain(row["snap_amp_uv"]),
        absent=row["absent"],
    )


def imaging_point(row) -> ImagingPoint:
    return ImagingPoint(**{name: row[name] for name in _IMAGING_FIELDS})


def symptom_point(row) -> SymptomPoint:
    return SymptomPoint(
        id=row["id"],
        reported_on=row["reported_on"],
        items={code: row[code] for code in SYMPTOM_CODES},
        weight_kg=_plain(row["weight_kg"]),
    )


def patient_search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """Patients matching an MRN or a name (each word must match given or family name). One query."""
    patients = patients.filter(status=FINAL).select_related("clinic")
    for word in query.replace(",", " ").split()[:SEARCH_WORDS]:
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
    return patients_rule_data([patient])[patient.pk]


def patients_rule_data(patients) -> dict[int, PatientData]:
    """Plain series for many patients at once: six queries whatever their number, so a
    nightly evaluation or a benchmark does not pay a query per patient."""
    sex = {p.pk: p.sex for p in patients}
    ids = list(sex)
    labs, treatments, visits, ncs, imaging, symptoms = ({pk: [] for pk in ids} for _ in range(6))
    for row in (
        LabResult.objects.filter(patient_id__in=ids, status=FINAL).order_by("collected_on", "id").values(*_LAB_VALUES)
    ):
        labs[row["patient_id"]].append(lab_point(row))
    for t in Treatment.objects.filter(patient_id__in=ids, status=FINAL).order_by("start_date", "id"):
        treatments[t.patient_id].append(treatment_point(t))
    visit_rows = Visit.objects.filter(patient_id__in=ids, status=FINAL).order_by("visit_date", "id")
    for row in visit_rows.values("patient_id", *_VISIT_FIELDS):
        visits[row["patient_id"]].append(visit_point(row))
    ncs_rows = NerveConductionResult.objects.filter(study__patient_id__in=ids, status=FINAL, study__status=FINAL)
    for row in ncs_rows.order_by("study__study_date", "id").values(
        "study__patient_id", "study__study_date", "study__lab", *_NCS_FIELDS
    ):
        ncs[row["study__patient_id"]].append(ncs_point(row, study_date=row["study__study_date"], lab=row["study__lab"]))
    imaging_rows = ImagingStudy.objects.filter(patient_id__in=ids, status=FINAL).order_by("study_date", "id")
    for row in imaging_rows.values("patient_id", *_IMAGING_FIELDS):
        imaging[row["patient_id"]].append(imaging_point(row))
    for row in (
        SymptomReport.objects.filter(patient_id__in=ids, status=FINAL)
        .order_by("reported_on", "id")
        .values("id", "patient_id", "reported_on", "weight_kg", *SYMPTOM_CODES)
    ):
        symptoms[row["patient_id"]].append(symptom_point(row))
    return {
        pk: PatientData(
            sex=sex[pk],
            labs=tuple(labs[pk]),
            treatments=tuple(treatments[pk]),
            visits=tuple(visits[pk]),
            ncs=tuple(ncs[pk]),
            imaging=tuple(imaging[pk]),
            symptoms=tuple(symptoms[pk]),
        )
        for pk in ids
    }


def patients_vegf_data(patients) -> dict[int, PatientData]:
    """VEGF results and treatments only, as plain series, for many patients: two queries
    whatever their number (the cohort chart needs no other part of the record)."""
    sex = {p.pk: p.sex for p in patients}
    labs: dict[int, list] = {pk: [] for pk in sex}
    treatments: dict[int, list] = {pk: [] for pk in sex}
    for row in (
        LabResult.objects.filter(patient_id__in=list(sex), status=FINAL, analyte="vegf")
        .order_by("collected_on", "id")
        .values(*_LAB_VALUES)
    ):
        labs[row["patient_id"]].append(lab_point(row))
    for t in Treatment.objects.filter(patient_id__in=list(sex), status=FINAL).order_by("start_date", "id"):
        treatments[t.patient_id].append(treatment_point(t))
    return {pk: PatientData(sex=sex[pk], labs=tuple(labs[pk]), treatments=tuple(treatments[pk])) for pk in sex}


def patients_with_active_red_flag(patients) -> set[int]:
    """IDs of the patients with an open or acknowledged RED flag (a suspected relapse). One query."""
    return set(
        Flag.objects.filter(
            patient__in=patients, severity="red", status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]
        ).values_list("patient_id", flat=True)
    )


def patient_by_mrn(mrn: str, clinic_code: str = "", patients=None):
    """The one patient with `mrn` (in clinic `clinic_code` when given), for the commands.

    Returns (patient or None, problem text). An MRN is unique per clinic only, so an MRN found
    in more than one clinic asks for the clinic rather than picking one.
    """
    found = (patients if patients is not None else Patient.objects.all()).filter(mrn=mrn).select_related("clinic")
    if clinic_code:
        found = found.filter(clinic__code__iexact=clinic_code)
    found = list(found[:10])
    if not found:
        where = f" in clinic {clinic_code!r}" if clinic_code else ""
        return None, f"No patient with MRN {mrn!r}{where}."
    if len(found) > 1:
        codes = ", ".join(sorted(p.clinic.code for p in found))
        return None, f"MRN {mrn!r} is registered in more than one clinic ({codes}); add --clinic CODE."
    return found[0], ""
