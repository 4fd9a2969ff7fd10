"""Re-importing, --update, --dry-run, the audit row, the actor, and flags evaluated once."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

import tracker.importers.engine as engine
from tests.factories import UserFactory
from tests.record_kinds import record_model
from tracker.models import ImportRun, Patient
from tracker.roles import STAFF

LABS = (
    "mrn,collected_on,analyte,value,unit,specimen,lab\n"
    "IMP-001,2024-01-10,vegf,4200,pg/mL,serum,City lab\n"
    "IMP-001,2024-06-10,vegf,700,pg/mL,serum,City lab\n"
    "IMP-001,2024-09-10,vegf,1200,pg/mL,serum,City lab\n"
    "IMP-002,2024-01-10,platelets,300,,,City lab\n"
)


def test_importing_the_same_file_twice_adds_nothing(run_import, registered, csv_file):
    path = csv_file(LABS)
    assert run_import("labs", path).out.strip() == "imported: 4 created, 0 unchanged, 0 updated"
    history_rows = record_model("lab").history.count()
    again = run_import("labs", path)
    assert again.out.strip() == "imported: 0 created, 4 unchanged, 0 updated"
    assert record_model("lab").objects.count() == 4 and record_model("lab").history.count() == history_rows


def test_a_unit_spelled_differently_with_the_same_canonical_value_is_unchanged(run_import, registered):
    run_import("labs", LABS)
    again = run_import(
        "labs", "mrn,collected_on,analyte,value,unit,specimen,lab\nIMP-001,2024-01-10,vegf,4200,ng/L,serum,City lab\n"
    )
    assert again.out.strip() == "imported: 0 created, 1 unchanged, 0 updated"


def test_an_existing_record_with_other_values_is_an_error_without_update(run_import, registered):
    run_import("labs", LABS)
    changed = LABS.replace("4200,pg/mL", "4300,pg/mL")
    result = run_import("labs", changed)
    assert result.problems == [
        "row 1, column value: already recorded as '4,200 pg/mL' for this mrn, analyte, specimen, lab, collected_on; "
        "the file says '4,300 pg/mL'; to replace it, import with update switched on (--update); the earlier version "
        "stays in the record's history"
    ]
    assert record_model("lab").objects.get(collected_on="2024-01-10", analyte="vegf").value_canonical == 4200


def test_update_replaces_the_value_and_keeps_the_prior_version_in_history(run_import, registered):
    run_import("labs", LABS)
    editor = UserFactory(username="editor", role=STAFF)
    result = run_import(
        "labs", LABS.replace("4200,pg/mL", "4.3,ng/L").replace("4.3,ng/L", "4300,ng/L"), "--update", "--as", "editor"
    )
    assert result.out.strip() == "imported: 0 created, 3 unchanged, 1 updated"
    record = record_model("lab").objects.get(collected_on="2024-01-10", analyte="vegf")
    assert (record.value_canonical, record.unit_as_entered, record.updated_by) == (4300, "ng/L", editor)
    versions = list(
        record.history.order_by("history_date").values_list("value_canonical", "history_type", "history_user__username")
    )
    assert versions == [(Decimal("4200"), "+", "import"), (Decimal("4300"), "~", "editor")]


def test_columns_absent_from_the_file_are_neither_compared_nor_changed(run_import, registered):
    run_import("visits", "mrn,visit_date,onls_arm,notes\nIMP-001,2024-01-10,2,Seen with daughter\n")
    result = run_import("visits", "mrn,visit_date,onls_arm\nIMP-001,2024-01-10,3\n", "--update")
    assert result.out.strip() == "imported: 0 created, 0 unchanged, 1 updated"
    visit = Patient.objects.get(mrn="IMP-001").visits.get()
    assert (visit.onls_arm, visit.notes) == (3, "Seen with daughter")


def test_update_of_an_ncs_study_lab(run_import, registered):
    header = "mrn,study_date,nerve,side,kind,site,cmap_amp_mv,lab\n"
    run_import("ncs", header + "IMP-002,2023-09-10,peroneal,right,motor,ankle,2.0,NeuroLab\n")
    refused = run_import("ncs", header + "IMP-002,2023-09-10,peroneal,right,motor,ankle,2.0,EMG unit\n")
    assert refused.problems[0].startswith("row 1, column lab: the study of 2023-09-10 has lab 'NeuroLab' in the record")
    updated = run_import("ncs", header + "IMP-002,2023-09-10,peroneal,right,motor,ankle,2.0,EMG unit\n", "--update")
    assert updated.out.strip() == "imported: 0 created, 0 unchanged, 1 updated"
    study = record_model("ncs").objects.get()
    assert study.lab == "EMG unit" and study.history.count() == 2


def test_dry_run_checks_everything_and_saves_nothing(run_import, registered):
    result = run_import("labs", LABS, "--dry-run")
    assert result.out.strip() == "imported: 4 created, 0 unchanged, 0 updated (dry run: nothing saved)"
    assert (
        record_model("lab").objects.count() == 0
        and record_model("lab").history.count() == 0
        and record_model("flag").objects.count() == 0
    )
    run = ImportRun.objects.get(kind="labs")
    assert (run.status, run.dry_run, run.created_count) == ("checked", True, 4)


def test_every_run_is_audited_with_who_when_file_and_counts(run_import, registered, csv_file):
    path = csv_file(LABS, name="north-labs.csv")
    run_import("labs", path)
    run_import("labs", LABS.replace("IMP-002", "IMP-404"))
    ok, failed = ImportRun.objects.filter(kind="labs").order_by("id")
    assert (ok.actor.username, ok.file_name, ok.source, ok.status) == (
        "import",
        "north-labs.csv",
        "command",
        "imported",
    )
    assert (ok.row_count, ok.created_count, ok.unchanged_count, ok.updated_count, ok.error_count) == (4, 4, 0, 0, 0)
    assert ok.file_sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest() and ok.file_bytes is None
    assert ok.started_at <= ok.finished_at
    assert (failed.status, failed.error_count, failed.created_count) == ("failed", 1, 0)
    assert failed.errors[0][:2] == [4, "mrn"]


def test_the_system_user_is_created_once_without_role_or_password(run_import, registered):
    run_import("labs", LABS)
    user = ImportRun.objects.first().actor
    assert user.username == "import" and not user.has_usable_password() and not user.groups.exists()
    assert ImportRun.objects.filter(actor=user).count() == 2


def test_as_names_the_actor_and_an_unknown_user_is_refused(run_import, registered):
    result = run_import("labs", LABS, "--as", "nobody")
    assert not result.ok and "No user named 'nobody'" in result.err
    assert record_model("lab").objects.count() == 0


def test_flags_are_evaluated_once_per_affected_patient_after_the_last_row(run_import, registered, monkeypatch):
    calls = []
    real = engine.flags_refresh
    monkeypatch.setattr(engine, "flags_refresh", lambda patient, **kw: calls.append(patient.mrn) or real(patient, **kw))
    text = LABS.replace(",lab\n", ",lab,confounders\n", 1).replace(
        "1200,pg/mL,serum,City lab", "1200,pg/mL,serum,City lab,acute_illness"
    )
    run_import("labs", text)
    assert sorted(calls) == ["IMP-001", "IMP-002"]
    r13 = record_model("flag").objects.get(patient__mrn="IMP-001", rule="R13")
    assert r13.severity == "info" and r13.raised_on.isoformat() == "2024-09-10"
    calls.clear()
    run_import("labs", text)
    assert calls == []  # nothing changed, nothing to evaluate


@pytest.mark.parametrize("option", ["--dry-run", None])
def test_a_failed_or_dry_run_evaluates_no_flags(run_import, registered, monkeypatch, option):
    calls = []
    monkeypatch.setattr(engine, "flags_refresh", lambda patient, **kw: calls.append(patient))
    text = LABS if option else LABS + "IMP-404,2024-01-10,platelets,300,,,City lab\n"
    run_import("labs", text, *([option] if option else []))
    assert calls == []


def test_a_changed_patient_is_an_error_unless_updated_and_history_keeps_the_old_name(run_import, registered):
    changed = "mrn,given_name,family_name,birth_date,sex\nIMP-001,Alexa,Example,1968-04-12,female\n"
    refused = run_import("patients", changed)
    assert refused.problems[0].startswith("row 1, column given_name: already recorded as 'Alex' for this mrn")
    assert run_import("patients", changed, "--update").out.strip() == "imported: 0 created, 0 unchanged, 1 updated"
    patient = Patient.objects.get(mrn="IMP-001")
    assert patient.given_name == "Alexa" and patient.clinic.code == "north"  # blank clinic: no move
    assert [h.given_name for h in patient.history.order_by("history_date")] == ["Alex", "Alexa"]


def test_queries_do_not_grow_row_by_row(run_import, registered, django_assert_max_num_queries):
    rows = "".join(
        f"IMP-00{1 + n % 2},2024-01-{1 + n // 40:02d},{('platelets', 'wbc', 'albumin', 'calcium')[n % 4]},{100 + n % 7 if n % 4 == 0 else 5},,,Lab{n % 40}\n"
        for n in range(800)
    )
    with django_assert_max_num_queries(120):  # 800 rows: a per-row query would need more than 800
        result = run_import("labs", "mrn,collected_on,analyte,value,unit,specimen,lab\n" + rows)
    assert result.out.strip() == "imported: 800 created, 0 unchanged, 0 updated"
