"""No stored value breaks a page: extreme values written straight into the database.

The services refuse these values; a row written by an older version, a repair script or a
database restore may still hold them. Every page showing the patient must answer, never 500.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.urls import reverse

from tracker.models import Patient

TEXT = "Zoë 漢字 😀 \u202eright-to-left ☃ "


def _decimal(field: models.DecimalField, variant: str) -> Decimal:
    whole = field.max_digits - field.decimal_places
    largest = Decimal(10) ** whole - Decimal(10) ** -field.decimal_places
    return {"huge": largest, "negative": -largest, "tiny": Decimal(10) ** -field.decimal_places}[variant]


def _value(field: models.Field, variant: str):
    """The extreme value `variant` for `field`, or None to leave the field alone."""
    if field.primary_key or field.is_relation or field.choices or not field.editable:
        return None
    if isinstance(field, models.DateTimeField):
        return None
    if isinstance(field, models.DateField):
        return {"far_future": datetime.date(9999, 12, 31), "far_past": datetime.date(1, 1, 1)}.get(variant)
    if isinstance(field, models.DecimalField) and variant in ("huge", "negative", "tiny"):
        return _decimal(field, variant)
    if isinstance(field, models.PositiveSmallIntegerField | models.PositiveIntegerField):
        return {"huge": 32767, "tiny": 0, "negative": 0}.get(variant)
    if isinstance(field, models.TextField):
        return {"long_text": TEXT * 2000, "empty_text": ""}.get(variant)
    if isinstance(field, models.CharField) and field.name not in ("mrn", "error_reason"):
        if variant == "long_text":
            return (TEXT * 10)[: field.max_length]
        if variant == "empty_text" and field.blank:
            return ""
    return None


def _write(record, variant: str) -> None:
    changes = {}
    for field in record._meta.concrete_fields:
        value = _value(field, variant)
        if value is not None:
            changes[field.attname] = value
    if changes:
        type(record).objects.filter(pk=record.pk).update(**changes)


VARIANTS = ["far_future", "far_past", "huge", "negative", "tiny", "long_text", "empty_text"]
HISTORY_KINDS = ("treatment", "visit", "imaging", "symptoms", "lab", "ncs", "patient", "checklist", "engraftment")


@pytest.mark.parametrize("variant", VARIANTS)
def test_extreme_stored_values_never_break_a_patient_page(
    client, records, staff_user, consultant_user, patient_user, variant
):
    patient = records["patient"]
    for key, record in records.items():
        if key != "patient":
            _write(record, variant)
    for result in records["ncs"].results.all():
        _write(result, variant)
    _write(Patient.objects.get(pk=patient.pk), variant)

    staff_pages = [
        reverse("patient_detail", kwargs={"pk": patient.pk}),
        reverse("patient_summary", kwargs={"pk": patient.pk}),
        reverse("patient_list"),
        reverse("worklist"),
        reverse("flag_detail", kwargs={"pk": records["flag"].pk}),
        *[reverse("record_history", kwargs={"kind": k, "record_pk": records[k].pk}) for k in HISTORY_KINDS],
        *[reverse("record_edit", kwargs={"kind": k, "record_pk": records[k].pk}) for k in ("treatment", "visit")],
    ]
    for user in (staff_user, consultant_user):
        client.force_login(user)
        for url in staff_pages:
            response = client.get(url)
            assert response.status_code == 200, (variant, user.username, url)
    client.force_login(consultant_user)
    assert client.get(reverse("cohort")).status_code == 200, variant
    client.force_login(patient_user)
    for url in (reverse("portal_home"), reverse("portal_report")):
        assert client.get(url).status_code == 200, (variant, url)
