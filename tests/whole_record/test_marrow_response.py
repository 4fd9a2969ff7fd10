"""A recorded bone marrow biopsy reaches the haematological response: through the batch loader
of rule inputs and through the patient page's own lists (IMWG CR: < 5% marrow plasma cells)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import MarrowBiopsyFactory, TreatmentFactory
from tracker.selectors import patient_rule_data
from tracker.services.flags import flags_preview
from tracker.services.labs import lab_result_record

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2024, 8, 31)


@pytest.fixture
def two_negative_ifes(patient, staff_user):
    """Radiotherapy ending (T0) 2024-03-31; serum IFE positive at baseline, negative twice after."""
    TreatmentFactory(
        patient=patient,
        actor=staff_user,
        category="radiotherapy",
        start_date=datetime.date(2024, 2, 20),
        end_date=datetime.date(2024, 3, 31),
    )
    for day, category in (("2024-02-10", "positive"), ("2024-07-01", "negative"), ("2024-08-01", "negative")):
        lab_result_record(
            patient=patient,
            actor=staff_user,
            evaluate=False,
            analyte="ife",
            specimen="serum",
            collected_on=datetime.date.fromisoformat(day),
            value=category,
            detail="IgA-lambda" if category == "positive" else "",
            lab="Synthetic Lab",
        )
    return patient


@pytest.mark.parametrize(("pct", "category"), [("3.0", "CR"), ("6.0", "IFE_positive_unmeasurable")])
def test_the_marrow_counts_in_the_stored_series(two_negative_ifes, staff_user, pct, category):
    patient = two_negative_ifes
    MarrowBiopsyFactory(
        patient=patient, actor=staff_user, biopsy_date=datetime.date(2024, 7, 15), plasma_cells_pct=Decimal(pct)
    )
    data = patient_rule_data(patient)
    assert [(m.biopsy_date, m.plasma_cells_pct) for m in data.marrow] == [(datetime.date(2024, 7, 15), Decimal(pct))]
    assert flags_preview(patient, as_of=AS_OF, data=data).response["haematological"] == category


def test_a_marrow_entered_in_error_is_left_out(two_negative_ifes, staff_user, staff_client):
    patient = two_negative_ifes
    biopsy = MarrowBiopsyFactory(
        patient=patient, actor=staff_user, biopsy_date=datetime.date(2024, 7, 15), plasma_cells_pct=Decimal("9")
    )
    assert flags_preview(patient, as_of=AS_OF).response["haematological"] == "IFE_positive_unmeasurable"
    staff_client.post(reverse("record_error", kwargs={"kind": "marrow", "record_pk": biopsy.pk}), {"reason": "Wrong."})
    assert patient_rule_data(patient).marrow == ()
    assert flags_preview(patient, as_of=AS_OF).response["haematological"] == "CR"


def test_the_patient_page_series_holds_the_marrow(two_negative_ifes, staff_user, staff_client):
    patient = two_negative_ifes
    MarrowBiopsyFactory(
        patient=patient, actor=staff_user, biopsy_date=datetime.date(2024, 7, 15), plasma_cells_pct=Decimal("6")
    )
    page = staff_client.get(reverse("patient_detail", args=[patient.pk]))
    assert page.status_code == 200
    assert page.context["evaluation"].response["haematological"] == "IFE_positive_unmeasurable"
