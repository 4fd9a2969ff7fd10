"""The batch loader of rule inputs: every patient's valid record as plain series, and the
anchors and outcome events the survival curves read.

Rows come as named tuples (`values_list(..., named=True)`) and go through the same builders
(`points.py`) as the model instances of the patient page, so there is one way to make each
point. Each function states its query cost.
"""

from tracker.models import (
    ClinicalEvent,
    ImagingStudy,
    LabResult,
    NerveConductionResult,
    Patient,
    RecordStatus,
    SymptomReport,
    Treatment,
    Visit,
)
from tracker.rules.data import PatientData
from tracker.rules.outcomes import DEATH, PROGRESSION_EVENTS
from tracker.selectors.points import (
    IMAGING_FIELDS,
    LAB_FIELDS,
    MARROW_FIELDS,
    NCS_FIELDS,
    SYMPTOM_FIELDS,
    TREATMENT_FIELDS,
    VISIT_FIELDS,
    imaging_point,
    lab_point,
    marrow_point,
    ncs_point,
    symptom_point,
    treatment_point,
    visit_point,
)

FINAL = RecordStatus.FINAL


def _rows(queryset, date_field: str, fields, patient_field: str = "patient_id"):
    """Valid rows in clinical-date order, each a named tuple carrying `pid` (its patient)."""
    return queryset.filter(status=FINAL).order_by(date_field, "id").values_list(patient_field, *fields, named=True)


def _grouped(ids, rows, build) -> dict[int, tuple]:
    series: dict[int, list] = {pk: [] for pk in ids}
    for row in rows:
        series[row[0]].append(build(row))
    return {pk: tuple(points) for pk, points in series.items()}


def patient_rule_data(patient: Patient) -> PatientData:
    """The patient's valid record as plain series for tracker.rules. Seven queries."""
    return patients_rule_data([patient])[patient.pk]


def patients_rule_data(patients) -> dict[int, PatientData]:
    """Plain series for many patients at once: seven queries whatever their number, so a
    nightly evaluation or a benchmark does not pay a query per patient."""
    sex = {p.pk: p.sex for p in patients}
    ids = list(sex)
    labs = _grouped(ids, _rows(LabResult.objects.filter(patient_id__in=ids), "collected_on", LAB_FIELDS), lab_point)
    treatments = _grouped(
        ids,
        _rows(Treatment.objects.filter(patient_id__in=ids).with_t0(), "start_date", TREATMENT_FIELDS),
        treatment_point,
    )
    visits = _grouped(ids, _rows(Visit.objects.filter(patient_id__in=ids), "visit_date", VISIT_FIELDS), visit_point)
    results = NerveConductionResult.objects.filter(study__patient_id__in=ids, study__status=FINAL)
    ncs = _grouped(
        ids,
        _rows(results, "study__study_date", (*NCS_FIELDS, "study__study_date", "study__lab"), "study__patient_id"),
        lambda row: ncs_point(row, study_date=row.study__study_date, lab=row.study__lab),
    )
    imaging = _grouped(
        ids, _rows(ImagingStudy.objects.filter(patient_id__in=ids), "study_date", IMAGING_FIELDS), imaging_point
    )
    symptoms = _grouped(
        ids, _rows(SymptomReport.objects.filter(patient_id__in=ids), "reported_on", SYMPTOM_FIELDS), symptom_point
    )
    biopsies = Patient._meta.get_field("marrow_biopsies").related_model.objects.filter(patient_id__in=ids)
    marrow = _grouped(ids, _rows(biopsies, "biopsy_date", MARROW_FIELDS), marrow_point)
    return {
        pk: PatientData(
            sex=sex[pk],
            labs=labs[pk],
            treatments=treatments[pk],
            visits=visits[pk],
            ncs=ncs[pk],
            imaging=imaging[pk],
            symptoms=symptoms[pk],
            marrow=marrow[pk],
        )
        for pk in ids
    }


def patients_vegf_data(patients) -> dict[int, PatientData]:
    """VEGF results and treatments only, as plain series, for many patients: two queries
    whatever their number (the cohort chart needs no other part of the record)."""
    sex = {p.pk: p.sex for p in patients}
    ids = list(sex)
    vegf = LabResult.objects.filter(patient_id__in=ids, analyte="vegf")
    labs = _grouped(ids, _rows(vegf, "collected_on", LAB_FIELDS), lab_point)
    treatments = _grouped(
        ids,
        _rows(Treatment.objects.filter(patient_id__in=ids).with_t0(), "start_date", TREATMENT_FIELDS),
        treatment_point,
    )
    return {pk: PatientData(sex=sex[pk], labs=labs[pk], treatments=treatments[pk]) for pk in ids}


def patients_outcome_inputs(patients) -> dict[int, tuple[list, list]]:
    """{patient id: (response anchors, [(event code, onset date), ...])} for valid treatments
    and confirmed relapse, progression or death events. Two queries, whatever the number of
    patients."""
    ids = [p.pk for p in patients]
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    anchors = (
        Treatment.objects.filter(patient_id__in=ids, status=RecordStatus.FINAL)
        .with_t0()
        .filter(t0_on__isnull=False)
        .values_list("patient_id", "t0_on")
    )
    for pk, day in anchors:
        found[pk][0].append(day)
    events = ClinicalEvent.objects.filter(
        patient_id__in=ids, status=RecordStatus.FINAL, event__in=[*PROGRESSION_EVENTS, DEATH]
    ).values_list("patient_id", "event", "onset_date")
    for pk, code, day in events:
        found[pk][1].append((code, day))
    return found
