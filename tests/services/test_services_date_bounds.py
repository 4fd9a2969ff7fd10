"""Every clinical date is bounded: not before 1900, and not in the future where that makes sense
(a treatment's end may be planned up to two years ahead). A treatment dated 9999-12-31 or
1800-01-01 used to be saved and then broke the patient page for good."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.record_kinds import record_model
from tracker.services.patients import patient_update
from tracker.services.records import engraftment_save, treatment_record

FAR = [datetime.date(9999, 12, 31), datetime.date(1800, 1, 1)]


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("field", ["start_date", "anchor_date", "end_date"])
def test_a_treatment_date_off_the_calendar_is_refused(patient, staff_user, field, day):
    fields = {"category": "corticosteroid", "start_date": datetime.date(2024, 1, 10), field: day}
    if field != "start_date":
        fields["start_date"] = datetime.date(1900, 1, 1) if day.year < 1900 else datetime.date(2024, 1, 10)
    with pytest.raises(ValidationError) as caught:
        treatment_record(patient=patient, actor=staff_user, **fields)
    assert field in caught.value.message_dict
    assert day.isoformat() in caught.value.message_dict[field][0]
    assert record_model("treatment").objects.count() == 0


@pytest.mark.parametrize("field", ["infusion_date", "neutrophil_engraftment_date"])
def test_asct_dates_are_bounded(patient, staff_user, field):
    with pytest.raises(ValidationError) as caught:
        treatment_record(
            patient=patient, actor=staff_user, category="asct", start_date=datetime.date(2024, 1, 10), **{field: FAR[0]}
        )
    assert field in caught.value.message_dict


def test_a_planned_end_date_within_two_years_is_accepted(patient, staff_user):
    end = datetime.date.today() + datetime.timedelta(days=180)
    treatment = treatment_record(
        patient=patient,
        actor=staff_user,
        category="corticosteroid",
        start_date=datetime.date(2024, 1, 10),
        end_date=end,
    )
    assert treatment.end_date == end


def test_engraftment_onset_and_diagnosis_dates_are_bounded(patient, staff_user):
    asct = treatment_record(patient=patient, actor=staff_user, category="asct", start_date=datetime.date(2024, 1, 10))
    with pytest.raises(ValidationError) as caught:
        engraftment_save(treatment=asct, actor=staff_user, present=True, onset_date=FAR[1])
    assert "onset_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        patient_update(patient=patient, actor=staff_user, diagnosis_date=FAR[1])
    assert "diagnosis_date" in caught.value.message_dict
