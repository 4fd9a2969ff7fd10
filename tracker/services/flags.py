"""Flags: evaluate the rules for one patient and store the result as Flag rows."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from tracker.models import Flag, FlagStatus, Patient, WorklistEntry
from tracker.models.flags import SEVERITY_RANK
from tracker.rules.data import PatientData
from tracker.rules.params import RuleParams
from tracker.rules.registry import Evaluation, evaluate_patient
from tracker.services.review import results_mark_reviewed


def rule_params() -> RuleParams:
    """This deployment's thresholds: the spec's defaults with settings.POEMS_RULE_OVERRIDES."""
    return RuleParams.from_mapping(settings.POEMS_RULE_OVERRIDES)


def flags_preview(
    patient: Patient, *, as_of: datetime.date | None = None, data: PatientData | None = None
) -> Evaluation:
    """Run the rules on the patient's record without storing anything. Eight queries, none when
    `data` is the patient's series already loaded by selectors.patients_rule_data."""
    from tracker.selectors import patient_rule_data

    if data is None:
        data = patient_rule_data(patient)
    return evaluate_patient(data, as_of=as_of or timezone.localdate(), params=rule_params())


@transaction.atomic
def flags_refresh(patient: Patient, *, data: PatientData | None = None) -> Evaluation:
    """Re-evaluate and store the patient's flags as of today; evaluating twice changes nothing.

    A flag keeps its acknowledgement while the rules still raise it. A stored flag that the
    rules no longer raise (its data was marked entered in error) is closed, never deleted.
    `data` lets a bulk caller (the CSV import) load many patients' series in eight queries.
    """
    from tracker.selectors import patient_rule_data
    from tracker.services.worklist import worklist_entry_store

    if data is None:
        data = patient_rule_data(patient)
    today = timezone.localdate()
    evaluation = flags_preview(patient, as_of=today, data=data)
    stored = {flag.key: flag for flag in Flag.objects.filter(patient=patient)}
    states = []  # (severity rank, status, raised on) of every flag after this evaluation
    for result in evaluation.flags:
        flag = stored.pop(result.key, None)
        status = result.status
        if flag is not None and flag.status == FlagStatus.ACKNOWLEDGED and status == FlagStatus.OPEN:
            status = FlagStatus.ACKNOWLEDGED
        values = {
            "rule": result.rule,
            "rule_version": result.version,
            "severity": result.severity,
            "severity_rank": SEVERITY_RANK[result.severity],
            "domain": result.domain,
            "raised_on": result.raised_on,
            "status": status,
            "explanation": result.explanation,
            "evidence": result.evidence,
            "params": result.params,
        }
        states.append((values["severity_rank"], status, result.raised_on))
        if flag is None:
            Flag.objects.create(patient=patient, key=result.key, **values)
        elif any(getattr(flag, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(flag, name, value)
            flag.save()
    for flag in stored.values():
        if flag.status != FlagStatus.CLOSED:
            flag.status = FlagStatus.CLOSED
            flag.evidence = {**flag.evidence, "withdrawn": "no longer raised after a change to the record"}
            flag.save()
    worklist_entry_store(
        patient=patient, flags=states, evaluation=evaluation, data=data, today=today, params=rule_params()
    )
    return evaluation


@transaction.atomic
def flag_acknowledge(*, flag: Flag, actor, note: str) -> Flag:
    """A consultant's acknowledgement with a required note; kept in the flag's history. A RED
    that confirms an AMBER (evidence `confirms`) acknowledges that AMBER too, with the same note:
    it is the same finding, shown under the RED."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Write a note saying what you decided."})
    # The row stays locked until the transaction ends: of two simultaneous acknowledgements
    # the second sees the first one's status and is refused.
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError("Only an open flag can be acknowledged.")
    together = [flag]
    if flag.evidence.get("confirms"):
        together += Flag.objects.select_for_update().filter(
            patient_id=flag.patient_id, key=flag.evidence["confirms"], status=FlagStatus.OPEN
        )
    now = timezone.now()
    for each in together:
        each.status = FlagStatus.ACKNOWLEDGED
        each.acknowledged_by = actor
        each.acknowledged_at = now
        each.acknowledgement_note = note
        each._history_user = actor
        each.save()
        _results_reviewed(each, actor)
    counted = sum(1 for each in together if each.severity_rank >= 1)  # the worklist counts AMBER and RED only
    if counted:
        WorklistEntry.objects.filter(patient_id=flag.patient_id, unacknowledged__gt=0).update(
            unacknowledged=Greatest(F("unacknowledged") - counted, 0)
        )
    return flag


def _results_reviewed(flag: Flag, actor) -> None:
    """The consultant has looked at the results the flag cites: they count as reviewed."""
    cited = [pk for key, ids in flag.evidence.items() if key.endswith("lab_result_ids") for pk in ids]
    if cited:
        results_mark_reviewed(flag.patient.lab_results.filter(pk__in=cited), actor=actor)


def flags_store_all(patients, *, chunk: int = 200) -> int:
    """Re-evaluate and store the flags of many patients (a nightly `flags --save`), loading
    their series in batches: eight queries per batch plus the flag writes. Returns the count."""
    from tracker.selectors import patients_rule_data

    # Only the ids are read up front; each batch of patients is loaded, evaluated and let go,
    # so memory stays flat whatever the number of patients.
    ids = list(patients.values_list("pk", flat=True)) if hasattr(patients, "values_list") else [p.pk for p in patients]
    for start in range(0, len(ids), chunk):
        batch = list(Patient.objects.filter(pk__in=ids[start : start + chunk]).order_by("pk"))
        data = patients_rule_data(batch)
        with transaction.atomic():  # one commit per batch, not one per patient
            for patient in batch:
                flags_refresh(patient, data=data[patient.pk])
    return len(ids)


def flags_report(patients, *, as_of: datetime.date, chunk: int = 500) -> list[dict]:
    """The INTERFACES section 2 report for `patients`, evaluated as of `as_of`. Stores nothing.

    A flag that a consultant acknowledged (same key, stored) is reported as acknowledged.
    Costs eight queries per chunk of patients.
    """
    from tracker.selectors import patients_rule_data

    params = rule_params()
    patients = list(patients)
    report = []
    for start in range(0, len(patients), chunk):
        batch = patients[start : start + chunk]
        data = patients_rule_data(batch)
        acknowledged = set(
            Flag.objects.filter(patient__in=batch, status=FlagStatus.ACKNOWLEDGED).values_list("patient_id", "key")
        )
        for patient in batch:
            evaluation = evaluate_patient(data[patient.pk], as_of=as_of, params=params)
            flags = []
            for result in evaluation.flags:
                status = result.status
                if status == FlagStatus.OPEN and (patient.pk, result.key) in acknowledged:
                    status = FlagStatus.ACKNOWLEDGED
                flags.append(
                    {
                        "rule": result.rule,
                        "severity": result.severity,
                        "domain": result.domain,
                        "raised_on": result.raised_on.isoformat(),
                        "status": status,
                        "explanation": result.explanation,
                        "evidence": result.evidence,
                    }
                )
            report.append(
                {"mrn": patient.mrn, "status": evaluation.status, "flags": flags, "response": evaluation.response}
            )
    return report
