"""Fixtures for the page tests: a patient with one record of every kind, built through the services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.record_kinds import record_model
from tracker.services.labs import lab_result_record
from tracker.services.patients import checklist_save
from tracker.services.records import (
    engraftment_save,
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)

D = Decimal
START = datetime.date(2024, 1, 10)


def build_timeline(patient, actor, *, count: int, start: datetime.date = START) -> dict:
    """`count` records of every kind, a month apart, without evaluating rules per write."""
    made: dict[str, list] = {kind: [] for kind in ("lab", "visit", "imaging", "symptoms", "ncs", "treatment", "asct")}
    for i in range(count):
        day = start + datetime.timedelta(days=30 * i)
        quiet = {"patient": patient, "actor": actor, "evaluate": False}
        made["lab"].append(
            lab_result_record(**quiet, analyte="vegf", specimen="serum", collected_on=day, value=str(900 + i))
        )
        made["lab"].append(lab_result_record(**quiet, analyte="hemoglobin", collected_on=day, value="13", unit="g/dL"))
        made["visit"].append(
            visit_record(**quiet, visit_date=day, clinician=actor, onls_arm=1, onls_leg=2, weight_kg=D("70"))
        )
        made["imaging"].append(imaging_record(**quiet, study_date=day, modality="ct", response_category="SD"))
        made["symptoms"].append(symptom_report_record(**quiet, reported_on=day, pain=2, swelling=1))
        made["ncs"].append(
            ncs_study_record(
                **quiet,
                study_date=day,
                lab="Neuro lab",
                rows=[
                    {"kind": "motor", "nerve": "peroneal", "side": "right", "cmap_amp_mv": D("2.5")},
                    {"kind": "sensory", "nerve": "sural", "side": "right", "absent": True},
                ],
            )
        )
        made["treatment"].append(
            treatment_record(**quiet, category="corticosteroid", regimen=f"Dex {i}", start_date=day)
        )
        asct = treatment_record(
            **quiet,
            category="asct",
            start_date=day + datetime.timedelta(days=1),
            end_date=day + datetime.timedelta(days=3),
            neutrophil_engraftment_date=day + datetime.timedelta(days=14),
        )
        engraftment_save(treatment=asct, actor=actor, present=True, features=["fever", "rash", "weight_gain"])
        made["asct"].append(asct)
    return made


@pytest.fixture
def records(patient, staff_user):
    """One record of every kind for `patient`, keyed by the kind slug the URLs use."""
    made = build_timeline(patient, staff_user, count=1)
    asct = treatment_record(
        patient=patient,
        actor=staff_user,
        category="asct",
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2024, 6, 3),
        neutrophil_engraftment_date=datetime.date(2024, 6, 14),
    )
    engraftment = engraftment_save(treatment=asct, actor=staff_user, present=True, features=["fever"])
    checklist = checklist_save(patient=patient, actor=staff_user, polyradiculoneuropathy=True)
    flag = record_model("flag").objects.create(
        patient=patient,
        key="R1:vegf/serum",
        rule="R1",
        rule_version="1",
        severity="amber",
        severity_rank=1,
        domain="vegf",
        raised_on=timezone.localdate(),
        explanation="Synthetic flag for the page tests.",
    )
    return {
        **{kind: rows[0] for kind, rows in made.items() if kind != "asct"},
        "asct": asct,
        "engraftment": engraftment,
        "checklist": checklist,
        "flag": flag,
        "patient": patient,
    }
