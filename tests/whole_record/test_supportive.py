"""Supportive care end to end: medications and referrals refused with field, range and unit when
wrong (nothing saved); the form pages; CSV import (all or nothing, idempotent); history and
entered in error; the patient page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import MedicationFactory, ReferralFactory
from tests.record_kinds import record_model
from tracker.services.whole_record import medication_record, referral_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 4)
MEDICATION_HEADER = "mrn,drug,drug_name,start_date,stop_date,purpose,dose,dose_unit,frequency,notes\n"
REFERRAL_HEADER = "mrn,service,service_name,referred_on,status,status_on,notes\n"


# --- medications -----------------------------------------------------------------------------


def test_a_stop_date_before_the_start_is_refused(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        medication_record(
            patient=patient,
            actor=staff_user,
            drug="gabapentin",
            start_date=DAY,
            stop_date=datetime.date(2025, 3, 1),
        )
    assert refused.value.message_dict["stop_date"] == [
        "Stop date (2025-03-01) must be on or after the start date (2025-03-04)."
    ]
    assert record_counts() == before


@pytest.mark.parametrize(
    ("dose", "unit", "message"),
    [
        ("6000", "mg", "Dose must be between 0.01 and 5000 mg."),
        ("60000", "microgram", "Dose must be between 0.1 and 50000 microgram."),
        ("0.5", "units", "Dose must be between 1 and 100000 IU."),
        (
            "0",
            "mg",
            "Dose must be between 0.01 and 100000.0 (mg, microgram or IU; the range depends on the dose unit).",
        ),
    ],
)
def test_a_dose_outside_its_unit_bounds_names_field_range_and_unit(
    patient, staff_user, record_counts, dose, unit, message
):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        medication_record(
            patient=patient, actor=staff_user, drug="pregabalin", start_date=DAY, dose=Decimal(dose), dose_unit=unit
        )
    assert refused.value.message_dict["dose"] == [message]
    assert record_counts() == before


def test_a_dose_needs_its_unit_and_other_needs_a_name(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        medication_record(patient=patient, actor=staff_user, drug="other", start_date=DAY, dose=Decimal("10"))
    errors = refused.value.message_dict
    assert errors["dose_unit"] == ["Choose the dose unit (mg, microgram or IU) for the dose."]
    assert errors["drug_name"] == ["Name the drug when the drug is Other."]
    assert record_counts() == before


def test_the_purpose_defaults_to_the_drugs_class(patient, staff_user):
    pain = medication_record(patient=patient, actor=staff_user, drug="duloxetine", start_date=DAY)
    blood = medication_record(patient=patient, actor=staff_user, drug="apixaban", start_date=DAY)
    steroid = medication_record(patient=patient, actor=staff_user, drug="prednisolone", start_date=DAY)
    named = medication_record(patient=patient, actor=staff_user, drug="other", drug_name="Capsaicin", start_date=DAY)
    chosen = medication_record(patient=patient, actor=staff_user, drug="dexamethasone", purpose="other", start_date=DAY)
    assert [m.purpose for m in (pain, blood, steroid, named, chosen)] == [
        "neuropathic_pain",
        "anticoagulant",
        "steroid",
        "other",
        "other",
    ]
    assert named.name == "Capsaicin" and pain.name == "Duloxetine"


def test_the_form_saves_and_the_page_shows_the_medication(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "medication"})
    assert "Add a medication" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "drug": "amitriptyline",
            "dose": "10",
            "dose_unit": "mg",
            "frequency": "at night",
            "start_date": "2025-01-06",
            "notes": "Burning feet.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#medications")
    medication = record_model("medication").objects.get(patient=patient)
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert f'id="medication-{medication.pk}"' in detail
    row = detail.split(f'id="medication-{medication.pk}"')[1].split("</tr>")[0]
    assert "Amitriptyline" in row and "Neuropathic pain" in row and "10 mg" in row and "ongoing" in row


def test_the_form_refuses_a_stop_before_the_start_and_saves_nothing(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "medication"})
    page = staff_client.post(
        url, {"drug": "warfarin", "dose": "3", "dose_unit": "mg", "start_date": "2025-03-04", "stop_date": "2025-02-01"}
    )
    assert page.status_code == 200
    assert "Stop date (2025-02-01) must be on or after the start date (2025-03-04)." in page.content.decode()
    assert not record_model("medication").objects.exists()


def test_a_stale_medication_form_is_refused(staff_client, staff_user, patient):
    medication = MedicationFactory(patient=patient, actor=staff_user, start_date=DAY)
    url = reverse("record_edit", kwargs={"kind": "medication", "record_pk": medication.pk})
    fields = {"drug": "pregabalin", "dose": "150", "dose_unit": "mg", "start_date": "2025-03-04"}
    assert staff_client.post(url, {**fields, "version": medication.version}).status_code == 302
    stale = staff_client.post(url, {**fields, "dose": "300", "version": medication.version})
    assert stale.status_code == 200
    medication.refresh_from_db()
    assert medication.dose == Decimal("150") and medication.version == 2


def test_medication_history_and_entered_in_error(staff_client, staff_user, patient):
    medication = MedicationFactory(patient=patient, actor=staff_user)
    staff_client.post(
        reverse("record_error", kwargs={"kind": "medication", "record_pk": medication.pk}), {"reason": "Wrong patient."}
    )
    medication.refresh_from_db()
    assert medication.is_entered_in_error and medication.error_reason == "Wrong patient."
    assert medication.history.count() == 2
    history = staff_client.get(reverse("record_history", kwargs={"kind": "medication", "record_pk": medication.pk}))
    assert history.status_code == 200
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert f'id="medication-{medication.pk}" class="entered-in-error"' in detail


def test_medications_csv_import_is_all_or_nothing_and_idempotent(run_import, registered):
    bad = run_import(
        "medications",
        MEDICATION_HEADER
        + "IMP-001,pregabalin,,2024-02-01,,,75,mg,twice daily,\n"
        + "IMP-001,gabapentin,,2024-03-01,2024-02-01,,300,mg,,\n"
        + "IMP-002,lmwh,,2024-03-01,,,200000,units,,\n"
        + "IMP-002,other,,2024-03-01,,,,,,\n",
    )
    assert not bad.ok
    assert "row 2, column stop_date: Stop date (2024-02-01) must be on or after the start date (2024-03-01)." in bad.err
    assert (
        "row 3, column dose: Dose must be between 0.01 and 100000.0 (mg, microgram or IU; the range depends on "
        "the dose unit)." in bad.err
    )
    assert "row 4, column drug_name: Name the drug when the drug is Other." in bad.err
    assert not record_model("medication").objects.exists()
    good = (
        MEDICATION_HEADER
        + "IMP-001,pregabalin,,2024-02-01,,,75,mg,twice daily,\n"
        + "IMP-002,other,Capsaicin 8% patch,2024-03-01,2024-03-01,neuropathic_pain,,,,Single application\n"
    )
    first = run_import("medications", good)
    assert first.ok, first.err
    assert "2 created" in first.out
    second = run_import("medications", good)
    assert second.ok and "0 created, 2 unchanged" in second.out
    stored = record_model("medication").objects.get(drug="pregabalin")
    assert stored.purpose == "neuropathic_pain" and stored.history.count() == 1


# --- referrals -------------------------------------------------------------------------------


def test_a_status_date_before_the_referral_is_refused(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        referral_record(
            patient=patient,
            actor=staff_user,
            service="pain",
            referred_on=DAY,
            referral_status="seen",
            status_on=datetime.date(2025, 2, 1),
        )
    assert refused.value.message_dict["status_on"] == [
        "Status date (2025-02-01) must be on or after the referral date (2025-03-04)."
    ]
    assert record_counts() == before


def test_an_other_service_needs_its_name(patient, staff_user, record_counts):
    before = record_counts()
    with pytest.raises(ValidationError) as refused:
        referral_record(patient=patient, actor=staff_user, service="other", referred_on=DAY)
    assert refused.value.message_dict["service_name"] == ["Name the service when the service is Other."]
    assert record_counts() == before


def test_the_referral_form_saves_and_the_page_shows_it(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "referral"})
    assert "Add a referral" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {"service": "palliative", "referred_on": "2025-01-06", "referral_status": "seen", "status_on": "2025-01-20"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#referrals")
    referral = record_model("referral").objects.get(patient=patient)
    detail = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    row = detail.split(f'id="referral-{referral.pk}"')[1].split("</tr>")[0]
    assert "Palliative care" in row and "Seen" in row and "2025-01-20" in row


def test_the_referral_form_refuses_a_status_date_before_the_referral(staff_client, patient):
    url = reverse("record_create", kwargs={"pk": patient.pk, "kind": "referral"})
    page = staff_client.post(
        url,
        {
            "service": "rehabilitation",
            "referred_on": "2025-03-04",
            "referral_status": "seen",
            "status_on": "2025-03-01",
        },
    )
    assert page.status_code == 200
    assert "Status date (2025-03-01) must be on or after the referral date (2025-03-04)." in page.content.decode()
    assert not record_model("referral").objects.exists()


def test_referral_history_and_entered_in_error(staff_client, staff_user, patient):
    referral = ReferralFactory(patient=patient, actor=staff_user, service="pain")
    url = reverse("record_edit", kwargs={"kind": "referral", "record_pk": referral.pk})
    staff_client.post(
        url,
        {
            "service": "pain",
            "referred_on": referral.referred_on.isoformat(),
            "referral_status": "seen",
            "status_on": referral.referred_on.isoformat(),
            "version": referral.version,
        },
    )
    staff_client.post(
        reverse("record_error", kwargs={"kind": "referral", "record_pk": referral.pk}), {"reason": "Duplicate."}
    )
    referral.refresh_from_db()
    assert referral.is_entered_in_error
    assert [h.referral_status for h in referral.history.order_by("history_id")] == ["requested", "seen", "seen"]
    assert (
        staff_client.get(reverse("record_history", kwargs={"kind": "referral", "record_pk": referral.pk})).status_code
        == 200
    )


def test_referrals_csv_import_is_all_or_nothing_and_idempotent(run_import, registered):
    bad = run_import(
        "referrals",
        REFERRAL_HEADER
        + "IMP-001,rehabilitation,,2024-02-01,seen,2024-02-20,\n"
        + "IMP-001,pain,,2024-03-01,seen,2024-02-01,\n"
        + "IMP-002,hospice,,2024-03-01,,,\n",
    )
    assert not bad.ok
    assert "row 2, column status_on: Status date (2024-02-01) must be on or after the referral date (2024-03-01)." in (
        bad.err
    )
    assert "row 3, column service:" in bad.err
    assert not record_model("referral").objects.exists()
    good = (
        REFERRAL_HEADER
        + "IMP-001,rehabilitation,,2024-02-01,seen,2024-02-20,Gait training\n"
        + "IMP-002,other,Orthotics clinic,2024-03-01,,,Ankle-foot orthoses\n"
    )
    first = run_import("referrals", good)
    assert first.ok, first.err
    assert "2 created" in first.out
    assert record_model("referral").objects.get(service="other").referral_status == "requested"
    second = run_import("referrals", good)
    assert second.ok and "0 created, 2 unchanged" in second.out
