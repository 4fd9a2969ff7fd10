"""Reads for the exports: patients in chunks, each chunk's records in one query per kind.

Memory is bounded by one chunk of patients' records, whatever the number of patients:
`patient_chunks` pages through primary keys (keyset pagination, no OFFSET), and
`records_for` loads a chunk's final (not entered-in-error) rows as plain dicts.
Cost: 1 query per chunk for the patients plus 7 per chunk for their core records and one per
record table (`record_tables.TABLES`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet

from tracker.interop import columns as cols
from tracker.interop import columns_record as record_cols
from tracker.interop.record_tables import TABLES
from tracker.models import Patient, RecordStatus

CHUNK_PATIENTS = 50
FINAL = RecordStatus.FINAL

PATIENT_FIELDS = ("id", "mrn", "birth_date", "sex", "clinic__code", "diagnosis_date", "light_chain")
FHIR_PATIENT_FIELDS = (*PATIENT_FIELDS, "given_name", "family_name")
LAB_FIELDS = (
    "patient_id",
    "collected_on",
    "analyte",
    "specimen",
    "comparator",
    "value_canonical",
    "unit_canonical",
    "value_as_entered",
    "unit_as_entered",
    "category",
    "detail",
)
FHIR_LAB_FIELDS = (*LAB_FIELDS, "ref_low", "ref_high", "lab", "assay", "confounders")
VISIT_FIELDS = (
    "patient_id",
    "visit_date",
    *(code for code, *_ in cols.VISIT_SCORES),
    "notes",
    *record_cols.EXAM_FIELDS,
)
SYMPTOM_FIELDS = ("patient_id", "reported_on", *(code for code, *_ in cols.SYMPTOM_SCORES), "other_symptoms")
NCS_FIELDS = (
    "study__patient_id",
    "study__study_date",
    "nerve",
    "side",
    "site",
    "kind",
    *(code for code, *_ in cols.NCS_MEASURES),
    "absent",
)
IMAGING_FIELDS = ("patient_id", "study_date", "modality", "response_category", "new_lesion", "notes")
TREATMENT_FIELDS = (
    "patient_id",
    "category",
    "regimen",
    "agents",
    "intent",
    "line",
    "start_date",
    "end_date",
    "anchor_date",
    "total_dose_gy",
    "fractions",
    "melphalan_mg_m2",
    "cycles_given",
    "notes",
)
FLAG_FIELDS = ("patient_id", "rule", "rule_version", "severity", "domain", "raised_on", "status", "explanation")


def _records(related_name: str):
    """The model behind one of the patient's related record sets (reached through the relation,
    so this module does not depend on each record model by name)."""
    return Patient._meta.get_field(related_name).related_model


def _ncs_results():
    """The nerve conduction results, reached through the patient's studies."""
    return _records("nerve_studies")._meta.get_field("results").related_model


@dataclass
class PatientRecords:
    labs: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)
    symptoms: list[dict] = field(default_factory=list)
    ncs: list[dict] = field(default_factory=list)
    imaging: list[dict] = field(default_factory=list)
    treatments: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)  # by record table name (record_tables)


def export_patients(patients: QuerySet[Patient], *, clinic_code: str = "") -> QuerySet[Patient]:
    """The final patients of `patients` (already narrowed to what the user may see)."""
    patients = patients.filter(status=FINAL)
    if clinic_code:
        patients = patients.filter(clinic__code=clinic_code)
    return patients


def patient_chunks(
    patients: QuerySet[Patient], size: int = CHUNK_PATIENTS, *, fields=PATIENT_FIELDS
) -> Iterator[list[dict]]:
    last = 0
    while True:
        chunk = list(patients.filter(pk__gt=last).order_by("pk").values(*fields)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["id"]


def _raw(queryset: QuerySet, fields: tuple[str, ...]) -> Iterator[dict]:
    """Rows of `queryset` as dicts of `fields`, read through the database cursor without
    Django's per-value converters (the research export's hot path, 3x faster on SQLite).
    Values come as the driver gives them: dates as dates, DECIMAL as float on SQLite and
    Decimal on PostgreSQL, JSON as text on SQLite; the research mappers accept each."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                yield dict(zip(fields, row, strict=True))


def _group(queryset: QuerySet, fields, key: str, into: dict[int, PatientRecords], kind: str, raw: bool) -> None:
    rows = _raw(queryset, fields) if raw else queryset.values(*fields)
    for row in rows:
        getattr(into[row[key]], kind).append(row)


def _group_table(table, patient_ids: list[int], into: dict[int, PatientRecords], raw: bool) -> None:
    queryset = _records(table.relation).objects.filter(status=FINAL, patient_id__in=patient_ids)
    queryset = queryset.order_by(*table.order_by)
    for row in _raw(queryset, table.fields) if raw else queryset.values(*table.fields):
        into[row["patient_id"]].tables.setdefault(table.name, []).append(row)


def records_for(patient_ids: list[int], *, fhir: bool = False) -> dict[int, PatientRecords]:
    """The final records of `patient_ids`, grouped per patient: 7 queries and one per record
    table. `fhir=True` reads the extra lab fields FHIR carries, through Django's converters
    (exact Decimals)."""
    records: dict[int, PatientRecords] = defaultdict(PatientRecords)
    final = {"status": FINAL, "patient_id__in": patient_ids}
    raw = not fhir

    def group(queryset, fields, key, kind):
        _group(queryset, fields, key, records, kind, raw)

    group(
        _records("lab_results").objects.filter(**final).order_by("patient_id", "collected_on", "analyte", "id"),
        FHIR_LAB_FIELDS if fhir else LAB_FIELDS,
        "patient_id",
        "labs",
    )
    group(_records("visits").objects.filter(**final).order_by("visit_date"), VISIT_FIELDS, "patient_id", "visits")
    group(
        _records("symptom_reports").objects.filter(**final).order_by("reported_on"),
        SYMPTOM_FIELDS,
        "patient_id",
        "symptoms",
    )
    group(
        _ncs_results()
        .objects.filter(status=FINAL, study__status=FINAL, study__patient_id__in=patient_ids)
        .order_by("study__study_date", "kind", "nerve", "side", "site"),
        NCS_FIELDS,
        "study__patient_id",
        "ncs",
    )
    group(
        _records("imaging_studies").objects.filter(**final).order_by("study_date", "modality"),
        IMAGING_FIELDS,
        "patient_id",
        "imaging",
    )
    group(
        _records("treatments").objects.filter(**final).order_by("start_date", "id"),
        TREATMENT_FIELDS,
        "patient_id",
        "treatments",
    )
    group(
        _records("flags").objects.filter(patient_id__in=patient_ids).order_by("raised_on", "rule"),
        FLAG_FIELDS,
        "patient_id",
        "flags",
    )
    for table in TABLES:
        _group_table(table, patient_ids, records, raw)
    return records


def wide_items(patients: QuerySet[Patient]) -> list[cols.Item]:
    """The items present for `patients`, in a fixed order: 3 DISTINCT queries, not a scan."""
    items: list[cols.Item] = []
    labs = _records("lab_results").objects.filter(status=FINAL, patient__in=patients)
    for analyte, specimen in labs.values_list("analyte", "specimen").distinct().order_by("analyte", "specimen"):
        items.append(cols.lab_item(analyte, specimen))
    items += [cols.visit_item(code) for code, *_ in cols.VISIT_SCORES]
    items += [cols.symptom_item(code) for code, *_ in cols.SYMPTOM_SCORES]
    ncs = _ncs_results().objects.filter(status=FINAL, study__status=FINAL, study__patient__in=patients)
    for kind, nerve, side, site in (
        ncs.values_list("kind", "nerve", "side", "site").distinct().order_by("kind", "nerve", "side", "site")
    ):
        measures = ("snap_amp_uv",) if kind == "sensory" else ("cmap_amp_mv", "dml_ms", "cv_ms", "f_min_latency_ms")
        measures += ("absent",)
        items += [cols.ncs_item(kind=kind, nerve=nerve, side=side, site=site, measure=m) for m in measures]
    imaging = _records("imaging_studies").objects.filter(status=FINAL, patient__in=patients)
    for modality in imaging.values_list("modality", flat=True).distinct().order_by("modality"):
        items += cols.imaging_items(modality)
    return [*items, *record_cols.exam_items(), *record_cols.MARROW_ITEMS]


def export_runs_of_clinics(user, limit: int = 100) -> QuerySet:
    """The export audit a consultant reads: exports by members of their clinics, by patients
    of their clinics (portal downloads) and from the command line (the system user). One query."""
    from django.db.models import Q

    from tracker.models import ExportRun, ExportSource

    clinics = user.clinics.all()
    return (
        ExportRun.objects.filter(
            Q(actor__clinics__in=clinics)
            | Q(actor__patient_profile__clinic__in=clinics)
            | Q(source=ExportSource.COMMAND)
        )
        .distinct()
        .select_related("actor")
        .defer("file_bytes")[:limit]
    )
