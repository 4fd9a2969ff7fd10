"""Response anchors and outcome events of many patients, for the clinic's survival curves."""

from tracker.models import ClinicalEvent, RecordStatus, Treatment
from tracker.rules.outcomes import DEATH, PROGRESSION_EVENTS

FINAL = RecordStatus.FINAL


def patients_outcome_inputs(patients) -> dict[int, tuple[list, list]]:
    """{patient id: (response anchors, [(event code, onset date), ...])} for valid treatments
    and confirmed relapse, progression or death events. Two queries, whatever the number of
    patients."""
    ids = [p.pk for p in patients]
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    anchors = (
        Treatment.objects.filter(patient_id__in=ids, status=FINAL)
        .with_t0()
        .filter(t0_on__isnull=False)
        .values_list("patient_id", "t0_on")
    )
    for pk, day in anchors:
        found[pk][0].append(day)
    events = ClinicalEvent.objects.filter(
        patient_id__in=ids, status=FINAL, event__in=[*PROGRESSION_EVENTS, DEATH]
    ).values_list("patient_id", "event", "onset_date")
    for pk, code, day in events:
        found[pk][1].append((code, day))
    return found
