"""patient_create, patient_update and checklist_save; the derived diagnosis and its warning."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tracker.models import Clinic, Patient
from tracker.models.patients import MINOR, OTHER_MAJOR
from tracker.services.patients import checklist_save, patient_create, patient_update

NEW_PATIENT = {
    "mrn": "N-100",
    "given_name": "Cleo",
    "family_name": "Invented",
    "birth_date": datetime.date(1961, 3, 4),
    "sex": "female",
}


def test_patient_is_created_in_the_given_clinic_with_the_actor_recorded(clinic, actor):
    patient = patient_create(actor=actor, clinic=clinic, **NEW_PATIENT)
    stored = Patient.objects.get(mrn="N-100")
    assert stored == patient and stored.clinic == clinic
    assert (stored.created_by, stored.is_demo, stored.report_interval_days) == (actor, False, 28)
    assert stored.history.get().history_user == actor


def test_patient_without_a_clinic_joins_the_first_clinic(clinic, other_clinic, actor):
    assert patient_create(actor=actor, **NEW_PATIENT).clinic == clinic


def test_patient_without_any_clinic_creates_a_main_clinic(db):
    Clinic.objects.all().delete()
    patient = patient_create(actor=None, **NEW_PATIENT)
    assert (patient.clinic.code, patient.clinic.name) == ("main", "Main clinic")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"mrn": "has space"}, "mrn", "MRN must be 1 to 32 letters, digits"),
        ({"mrn": "-starts-with-dash"}, "mrn", "starting with a letter or digit"),
        ({"birth_date": datetime.date(1899, 12, 31)}, "birth_date", "on or after 1900-01-01"),
        ({"birth_date": datetime.date.today() + datetime.timedelta(days=1)}, "birth_date", "is in the future"),
        ({"diagnosis_date": datetime.date(1960, 1, 1)}, "diagnosis_date", "cannot be before the birth date"),
        ({"report_interval_days": 6}, "report_interval_days", "Report interval must be between 7 and 365 days."),
        ({"report_interval_days": 366}, "report_interval_days", "Report interval must be between 7 and 365 days."),
        ({"sex": "x"}, "sex", "is not a valid choice"),
        ({"given_name": ""}, "given_name", "This field cannot be blank."),
    ],
)
def test_bad_patient_details_are_refused_naming_the_field(clinic, actor, record_counts, changes, field, message):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        patient_create(actor=actor, clinic=clinic, **{**NEW_PATIENT, **changes})
    assert message in " ".join(caught.value.message_dict[field])
    assert record_counts() == before


@pytest.mark.parametrize("days", [7, 365])
def test_report_interval_bounds_are_accepted(clinic, actor, days):
    assert patient_create(actor=actor, clinic=clinic, **NEW_PATIENT, report_interval_days=days).pk


def test_duplicate_mrn_is_refused_on_the_mrn_field(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        patient_create(actor=actor, clinic=patient.clinic, **{**NEW_PATIENT, "mrn": "P001"})
    assert "MRN already exists" in caught.value.message_dict["mrn"][0]
    assert record_counts() == before


def test_patient_update_saves_and_records_the_actor_in_history(patient, consultant_user):
    patient_update(patient=patient, actor=consultant_user, family_name="Renamed", light_chain="lambda")
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.family_name, stored.light_chain, stored.updated_by) == ("Renamed", "lambda", consultant_user)
    latest = stored.history.latest()
    assert (latest.history_type, latest.history_user, latest.family_name) == ("~", consultant_user, "Renamed")


def test_bad_patient_update_changes_nothing(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        patient_update(patient=patient, actor=actor, report_interval_days=400, family_name="Changed")
    assert "between 7 and 365 days" in caught.value.message_dict["report_interval_days"][0]
    assert record_counts() == before
    assert Patient.objects.get(pk=patient.pk).family_name == "Example"


def _criteria(**ticked) -> dict:
    return {"polyradiculoneuropathy": True, "clonal_plasma_cell_disorder": True, **ticked}


def test_checklist_is_created_once_and_then_updated_with_history(patient, actor, consultant_user):
    checklist_save(patient=patient, actor=actor, **_criteria(vegf_elevated=True))
    checklist_save(patient=patient, actor=consultant_user, papilloedema=True)
    checklist = record_model("checklist").objects.get(patient=patient)
    assert (checklist.vegf_elevated, checklist.papilloedema, checklist.diagnosis_met) == (True, True, True)
    assert [h.history_user for h in checklist.history.order_by("history_date")] == [actor, consultant_user]
    assert checklist.criteria_version.startswith("Dispenzieri")


@pytest.mark.parametrize("other_major", OTHER_MAJOR)
@pytest.mark.parametrize("minor", MINOR)
def test_diagnosis_is_met_with_both_mandatory_one_other_major_and_one_minor(patient, actor, other_major, minor):
    checklist = checklist_save(patient=patient, actor=actor, **_criteria(**{other_major: True, minor: True}))
    assert (checklist.n_other_major, checklist.n_minor, checklist.diagnosis_met) == (1, 1, True)


@pytest.mark.parametrize(
    "criteria",
    [
        {"polyradiculoneuropathy": False, "sclerotic_bone_lesions": True, "papilloedema": True},
        {"clonal_plasma_cell_disorder": False, "sclerotic_bone_lesions": True, "papilloedema": True},
        {"papilloedema": True, "organomegaly": True},
        {"sclerotic_bone_lesions": True, "vegf_elevated": True},
    ],
    ids=["no-neuropathy", "no-clonal-disorder", "no-other-major", "no-minor"],
)
def test_diagnosis_is_not_met_when_a_group_is_missing(patient, actor, criteria):
    checklist = checklist_save(patient=patient, actor=actor, **_criteria(**criteria))
    assert checklist.diagnosis_met is False


def test_castleman_variant_forces_the_diagnosis_to_not_met(patient, actor):
    checklist = checklist_save(
        patient=patient,
        actor=actor,
        **_criteria(castleman_disease=True, sclerotic_bone_lesions=True, skin_changes=True),
        castleman_variant_no_clonal_pcd=True,
    )
    assert (checklist.n_other_major, checklist.n_minor) == (2, 1)
    assert checklist.diagnosis_met is False


@pytest.mark.parametrize("axes", [["thyroid"], ["pancreatic"], ["thyroid", "pancreatic"]])
def test_thyroid_or_diabetes_alone_warns_that_it_is_not_sufficient(patient, actor, axes):
    checklist = checklist_save(patient=patient, actor=actor, endocrinopathy=True, endocrine_axes=axes)
    assert checklist.endocrine_warning.startswith("Diabetes mellitus or thyroid abnormality alone is not sufficient")


@pytest.mark.parametrize(
    ("endocrinopathy", "axes"), [(True, ["thyroid", "gonadal"]), (True, ["adrenal"]), (True, []), (False, ["thyroid"])]
)
def test_no_endocrine_warning_with_another_axis_or_no_endocrinopathy(patient, actor, endocrinopathy, axes):
    checklist = checklist_save(patient=patient, actor=actor, endocrinopathy=endocrinopathy, endocrine_axes=axes)
    assert checklist.endocrine_warning == ""


def test_checklist_sub_flag_outside_the_domain_list_is_refused(patient, actor, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as caught:
        checklist_save(patient=patient, actor=actor, organomegaly=True, organomegaly_sites=["kidney"])
    assert "organomegaly_sites" in caught.value.message_dict
    assert record_counts() == before
