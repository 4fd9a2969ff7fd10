"""Patients: search, and everything the patient page lists. Each function states its query cost."""

import re

from django.conf import settings
from django.db.models import Q, QuerySet

from tracker.models import DiagnosticChecklist, Flag, FlagStatus, Patient, RecordStatus
from tracker.text_checks import typed_date

FINAL = RecordStatus.FINAL
SEARCH_WORDS = 5  # more words than a name has only make the query heavier
TYPO_MIN_LETTERS = 4  # shorter words within one edit of a name part match too much to help
_ANY = "\x00"  # stands for "any one letter" while the variants of a word are built


def patient_search(patients: QuerySet[Patient], query: str, *, close: bool = False) -> QuerySet[Patient]:
    """Patients matching every word of `query`: a date of birth (ISO or the clinic's order,
    `POEMS_DATE_ORDER`), or part of the MRN, given or family name. With `close`, a name word of
    four or more letters also matches a name part that starts one typo away from it (a letter
    wrong, missing, extra or two swapped), in SQL both SQLite and PostgreSQL run. One query."""
    patients = patients.filter(status=FINAL).select_related("clinic")
    for word in query.replace(",", " ").split()[:SEARCH_WORDS]:
        patients = patients.filter(_word_matches(word, close=close))
    return patients.order_by("family_name", "given_name", "mrn")


def search_can_be_close(query: str) -> bool:
    """Whether `patient_search(..., close=True)` can find more than the exact search."""
    return any(_typo_word(word) for word in query.replace(",", " ").split()[:SEARCH_WORDS])


def _word_matches(word: str, *, close: bool) -> Q:
    born = typed_date(word, order=settings.POEMS_DATE_ORDER)
    if born is not None:
        return Q(birth_date=born)
    exact = Q(mrn__icontains=word) | Q(given_name__icontains=word) | Q(family_name__icontains=word)
    if close and _typo_word(word):
        pattern = one_typo_pattern(word)
        return exact | Q(given_name__iregex=pattern) | Q(family_name__iregex=pattern)
    return exact


def _typo_word(word: str) -> bool:
    return len(word) >= TYPO_MIN_LETTERS and word.isalpha()


def one_typo_pattern(word: str) -> str:
    """A regular expression (the subset Python's `re` and PostgreSQL's `~*` read alike) for a name
    part, at the start of the name or after a space, hyphen or apostrophe, that begins with
    `word` or with a string one edit from it: one letter changed, left out, added, or two
    neighbouring letters swapped."""
    w = word.lower()
    n = len(w)
    variants = {w[:i] + _ANY + w[i + 1 :] for i in range(n)}  # a letter changed
    variants |= {w[:i] + _ANY + w[i:] for i in range(n + 1)}  # a letter the name has, the word lacks
    variants |= {w[:i] + w[i + 1 :] for i in range(n)}  # a letter the word has, the name lacks
    variants |= {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(n - 1)}  # two letters swapped
    alternatives = sorted(".".join(re.escape(part) for part in v.split(_ANY)) for v in variants)
    return "(^|[ '-])(" + "|".join(alternatives) + ")"


def patient_record(patient: Patient) -> dict:
    """Everything the patient page lists, newest first, entered-in-error rows included
    (shown struck through). A fixed number of queries, whatever the length of follow-up.
    Treatments carry `t0_on`, their response anchor (`TreatmentQuerySet.with_t0`)."""
    return {
        "checklist": DiagnosticChecklist.objects.filter(patient=patient).first(),
        "treatments": list(
            patient.treatments.with_t0().select_related("engraftment_syndrome").order_by("-start_date", "-id")
        ),
        "visits": list(patient.visits.select_related("clinician").order_by("-visit_date", "-id")),
        "labs": list(patient.lab_results.select_related("reviewed_by").order_by("-collected_on", "analyte", "-id")),
        "nerve_studies": list(patient.nerve_studies.prefetch_related("results").order_by("-study_date")),
        "imaging": list(patient.imaging_studies.order_by("-study_date", "-id")),
        "marrow": list(patient.marrow_biopsies.order_by("-biopsy_date", "-id")),
        "events": list(patient.clinical_events.order_by("-onset_date", "-id")),
        "lesions": list(patient.imaging_lesions.order_by("-study_date", "site", "-id")),
        "medications": list(patient.medications.order_by("-start_date", "-id")),
        "referrals": list(patient.referrals.order_by("-referred_on", "-id")),
        "symptoms": list(patient.symptom_reports.select_related("reviewed_by").order_by("-reported_on", "-id")),
        "flags": list(
            patient.flags.filter(status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]).order_by(
                "-severity_rank", "-raised_on"
            )
        ),
    }


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
    in more than one clinic asks for the clinic rather than picking one. One query.
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
