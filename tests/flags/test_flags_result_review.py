"""Acknowledging a flag counts as reviewing the lab results it cites (the portal then shows them)."""

from tests.record_kinds import record_model
from tracker.services.flags import flag_acknowledge


def test_acknowledging_a_flag_marks_the_results_it_cites_reviewed(tv08, patient, consultant_user):
    r1 = record_model("flag").objects.get(patient=patient, rule="R1")
    cited = {pk for key, ids in r1.evidence.items() if key.endswith("lab_result_ids") for pk in ids}
    assert tv08.pk in cited
    labs = record_model("lab").objects.filter(patient=patient)
    assert not labs.filter(reviewed_at__isnull=False).exists()
    flag_acknowledge(flag=r1, actor=consultant_user, note="Repeat VEGF in four weeks")
    reviewed = labs.filter(reviewed_by=consultant_user, reviewed_at__isnull=False)
    assert set(reviewed.values_list("pk", flat=True)) == cited
    assert labs.exclude(pk__in=cited).exists()  # the rest of the record is not touched
