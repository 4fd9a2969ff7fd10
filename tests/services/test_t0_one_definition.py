"""T0 has one definition: the SQL annotation the worklist uses agrees with the pure rule on
many generated treatment timelines."""

import datetime
import random

import pytest

from tests.factories import PatientFactory
from tests.record_kinds import record_model
from tracker.models import Intent, TreatmentCategory
from tracker.rules.anchor import response_anchor
from tracker.selectors.points import treatment_point

START = datetime.date(2015, 1, 1)


def _random_treatments(rng: random.Random, patient, n: int) -> list:
    treatments = []
    for i in range(n):
        start = START + datetime.timedelta(days=40 * i + rng.randrange(0, 30))  # distinct natural keys
        end = rng.choice([None, start + datetime.timedelta(days=rng.randrange(0, 400))])
        anchor = rng.choice([None, None, start + datetime.timedelta(days=rng.randrange(0, 500))])
        treatments.append(
            record_model("treatment")(
                patient=patient,
                category=rng.choice(TreatmentCategory.values),
                intent=rng.choice(["", *Intent.values]),
                start_date=start,
                end_date=end,
                anchor_date=anchor,
            )
        )
    return treatments


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(5))
def test_t0_annotation_agrees_with_the_pure_rule_on_generated_timelines(seed):
    rng = random.Random(seed)
    patients = [PatientFactory() for _ in range(8)]
    for patient in patients:
        record_model("treatment").objects.bulk_create(_random_treatments(rng, patient, 25))
    annotated = list(record_model("treatment").objects.filter(patient__in=patients).with_t0())
    assert len(annotated) == 200
    assert any(t.t0_on is None for t in annotated) and any(t.t0_on is not None for t in annotated)
    for t in annotated:
        expected = response_anchor(anchor_date=t.anchor_date, category=t.category, intent=t.intent, end_date=t.end_date)
        assert t.t0_on == expected, (t.category, t.intent, t.end_date, t.anchor_date)
        assert t.response_anchor == expected


@pytest.mark.django_db
def test_rule_input_is_the_same_with_or_without_the_annotation():
    rng = random.Random(7)
    patient = PatientFactory()
    record_model("treatment").objects.bulk_create(_random_treatments(rng, patient, 40))
    plain = {t.pk: treatment_point(t) for t in record_model("treatment").objects.filter(patient=patient)}
    annotated = {t.pk: treatment_point(t) for t in record_model("treatment").objects.filter(patient=patient).with_t0()}
    assert plain == annotated
