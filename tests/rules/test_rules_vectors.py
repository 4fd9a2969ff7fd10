"""The public test vectors of POEMS-DOMAIN.md section 8, checked flag by flag.

Each vector is built as the spec's table reads; `EXPECTED` lists, per vector and evaluation
day, every flag (rule, severity, raised_on, status), the patient status and the responses.
"""

from __future__ import annotations

import json

import pytest
from rules_builders import (
    d,
    evaluate,
    ife,
    imaging,
    lab,
    ncs,
    only,
    patient,
    summary,
    treatment,
    vegf,
    visit,
)

from tracker.rules import spitzer_definite


def tv01(line=1):
    """Sustained complete response after ASCT; mobilisation starts the line."""
    rows = [
        ("2025-01-10", 4200, "positive", (2, 4), 520),
        ("2025-06-02", 1400, "positive", (2, 3), 310),
        ("2025-09-01", 850, "negative", (1, 3), 300),
        ("2025-12-01", 700, "negative", (1, 2), 290),
        ("2026-06-01", 650, "negative", (1, 2), 280),
    ]
    records = [
        treatment("2025-02-01", "2025-02-20", category="supportive_other",
                  intent="mobilisation", line=line),
        treatment("2025-03-01", "2025-03-01", anchor="2025-03-01", category="asct",
                  agents=["melphalan"], intent="conditioning", line=line),
        lab("2025-01-10", "m_protein", "0.3"),
    ]  # fmt: skip
    for day, s_vegf, ife_result, onls, plt in rows:
        records += [vegf(day, s_vegf), ife(day, ife_result), visit(day, onls),
                    lab(day, "platelets", plt)]  # fmt: skip
    return patient(*records)


def tv04():
    records = [
        treatment("2024-01-01", "2024-10-01", anchor="2024-10-01",
                  agents=["lenalidomide", "dexamethasone"]),
    ]  # fmt: skip
    for day, value in [("2023-12-15", 5000), ("2024-12-02", 2200), ("2025-03-03", 2000),
                       ("2025-06-02", 2300), ("2025-09-01", 2100)]:  # fmt: skip
        records += [vegf(day, value), ife(day, "positive"), lab(day, "m_protein", "0.1")]
    return patient(*records)


def tv05():
    records = [
        treatment("2022-08-01", "2022-08-20", category="supportive_other",
                  intent="mobilisation"),
        treatment("2022-09-01", "2022-09-01", anchor="2022-09-01", category="asct",
                  agents=["melphalan"], intent="conditioning"),
        ncs("2023-09-10", cmap="2.0"),
        ncs("2024-06-10", cmap="1.3"),
    ]  # fmt: skip
    for day, p_vegf, onls, plt in [
        ("2022-07-15", 300, (2, 5), 520),
        ("2023-03-01", 70, (1, 3), 280),
        ("2023-09-01", 75, (1, 2), 300),
        ("2024-03-01", 90, (1, 3), 430),
        ("2024-06-03", 88, (1, 4), 470),
    ]:
        records += [vegf(day, p_vegf, "plasma"), visit(day, onls), lab(day, "platelets", plt)]
    return patient(*records, sex="male")


def tv06():
    return patient(
        treatment("2021-02-20", "2021-04-01", anchor="2021-04-01", category="radiotherapy"),
        vegf("2021-01-05", 2500),
        imaging("2021-01-08", "baseline"),
        vegf("2021-07-01", 1200),
        vegf("2021-10-01", 950),
        imaging("2021-10-05", "PR"),
        vegf("2022-10-03", 980),
        imaging("2022-10-05", "PD", new_lesion=True),
    )


def tv07():
    return patient(
        treatment("2023-02-01", "2023-02-20", category="supportive_other", intent="mobilisation"),
        treatment("2023-03-01", "2023-03-01", anchor="2023-03-01", category="asct"),
        vegf("2023-01-05", 2600, "serum"),
        vegf("2023-06-01", 900, "serum"),
        vegf("2023-09-01", 150, "plasma"),
        vegf("2023-12-01", 160, "plasma"),
    )


def tv08():
    return patient(
        treatment("2023-12-05", "2024-01-15", anchor="2024-01-15"),
        vegf("2023-12-01", 3500),
        vegf("2024-04-15", 800),
        vegf("2024-07-15", 700),
        vegf("2024-10-14", 1200, confounders=["acute_illness"]),
        vegf("2024-11-20", 750),
    )


NO_RESPONSE = {"haematological": "not_evaluable", "neuro": "not_evaluable", "pet": "not_done"}

EXPECTED = [
    # vector, as_of, flags, status, responses (merged over NO_RESPONSE)
    (tv01, "2026-06-01", set(), "green",
     {"vegf": "CR", "haematological": "CR", "neuro": "improved"}),
    (tv01, "2025-09-01", set(), "green",
     {"vegf": "CR", "haematological": "IFE_positive_unmeasurable", "neuro": "improved"}),
    (tv01, "2025-12-01", set(), "green",
     {"vegf": "CR", "haematological": "CR", "neuro": "improved"}),
    (tv04, "2025-09-01", set(), "green",
     {"vegf": "PR", "haematological": "IFE_positive_unmeasurable"}),
    (tv05, "2024-03-01", {("R4", "amber", "2024-03-01", "open")}, "amber",
     {"vegf": "CR", "neuro": "improved"}),
    (tv05, "2024-06-03", {
        ("R4", "amber", "2024-03-01", "open"),
        ("R4c", "red", "2024-06-03", "open"),
        ("R2", "amber", "2024-06-03", "open"),
        ("R10", "red", "2024-06-03", "open"),
    }, "red", {"vegf": "CR", "neuro": "improved"}),
    (tv05, "2024-06-30", {
        ("R4", "amber", "2024-03-01", "open"),
        ("R4c", "red", "2024-06-03", "open"),
        ("R2", "amber", "2024-06-03", "open"),
        ("R10", "red", "2024-06-03", "open"),
        ("R5", "amber", "2024-06-10", "open"),
    }, "red", {"vegf": "CR", "neuro": "improved"}),
    (tv06, "2022-10-04", set(), "green", {"vegf": "CR", "pet": "PR"}),
    (tv06, "2022-12-31", {("R8", "red", "2022-10-05", "open")}, "red", {"vegf": "CR", "pet": "PR"}),
    (tv07, "2023-12-31", {("R12", "info", "2023-09-01", "open")}, "green", {"vegf": "CR"}),
    (tv08, "2024-10-14", {("R1", "amber", "2024-10-14", "open"),
                          ("R13", "info", "2024-10-14", "open")}, "amber", {"vegf": "CR"}),
    (tv08, "2024-12-31", {("R1", "amber", "2024-10-14", "closed"),
                          ("R13", "info", "2024-10-14", "open")}, "green", {"vegf": "CR"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("vector", "as_of", "flags", "status", "responses"),
    EXPECTED,
    ids=[f"{row[0].__name__}-{row[1]}" for row in EXPECTED],
)
def test_public_vector(vector, as_of, flags, status, responses):
    result = evaluate(vector(), as_of)
    assert summary(result) == flags
    assert result.status == status
    assert result.response == {"vegf": "not_evaluable", **NO_RESPONSE, **responses}


def test_tv01_needs_no_line_numbers_to_find_the_baseline():
    assert evaluate(tv01(line=None), "2026-06-01").response["vegf"] == "CR"


def test_tv05_r10_lists_both_domains_and_the_later_ncs_amber_joins_it():
    result = evaluate(tv05(), "2024-06-30")
    r10 = only(result, "R10")
    assert r10.domain == "multi_domain"
    assert r10.evidence["domains"] == ["clinical", "blood_counts", "ncs"]
    r5 = only(result, "R5")
    assert r5.key in r10.evidence["flag_keys"]
    assert "35% below the best post-treatment value of 2.0 mV on 2023-09-10" in r5.explanation
    assert "threshold 30%" in r5.explanation


def test_tv05_platelets_above_uln_once_is_not_r2():
    assert "R2" not in {f.rule for f in evaluate(tv05(), "2024-05-31").flags}


def test_tv05_r4c_confirms_the_r4_and_cites_the_best_score():
    result = evaluate(tv05(), "2024-06-03")
    r4, r4c = only(result, "R4"), only(result, "R4c")
    assert r4c.evidence["confirms"] == r4.key
    assert r4.explanation == (
        "ONLS 4 on 2024-03-01 is 1 point worse than the best post-treatment score of 3 on"
        " 2023-09-01; threshold 1 point (ONLS)."
    )
    assert r4c.explanation.startswith("Clinical progression: ONLS 5 on 2024-06-03")


def test_tv06_persistent_avidity_is_not_progression_and_980_is_not_r1():
    data = tv06()
    result = evaluate(data, "2022-12-31")
    r8 = only(result, "R8")
    assert r8.domain == "radiographic"
    assert r8.evidence["imaging_ids"] == [data.imaging[2].id]
    assert r8.explanation == (
        "Radiological progression: PET-CT on 2022-10-05 reports progressive disease (PD) and a new lesion."
    )
    assert not [f for f in result.flags if f.rule == "R1"]


def test_tv07_plasma_is_never_compared_with_serum():
    result = evaluate(tv07(), "2023-12-31")
    r12 = only(result, "R12")
    assert r12.domain == "vegf"
    assert r12.evidence["changed"] == ["specimen"]
    assert r12.evidence["new_series"] == "vegf/plasma/LabA"
    assert "not compared" in r12.explanation
    assert not [f for f in result.flags if f.rule in ("R1", "R1c")]


def test_tv08_amber_explanation_and_closure():
    data = tv08()
    open_r1 = only(evaluate(data, "2024-10-14"), "R1")
    assert open_r1.explanation == (
        "VEGF 1,200 pg/mL (serum) on 2024-10-14 is above the upper limit of 1,000 pg/mL and"
        " 71.4% above the nadir of 700 pg/mL on 2024-07-15; threshold 50%."
    )
    trigger, nadir = data.labs[3], data.labs[2]
    assert open_r1.evidence["lab_result_ids"] == [trigger.id]
    assert open_r1.evidence["nadir_lab_result_ids"] == [nadir.id]
    closed_r1 = only(evaluate(data, "2024-12-31"), "R1")
    assert closed_r1.key == open_r1.key
    assert closed_r1.status == "closed"
    assert closed_r1.evidence["closed_on"] == "2024-11-20"
    assert "closed because the next result, 750 pg/mL on 2024-11-20" in closed_r1.explanation


@pytest.mark.parametrize("vector", [tv01, tv04, tv05, tv06, tv07, tv08])
def test_every_flag_is_json_safe_with_one_sentence_and_a_unique_key(vector):
    result = evaluate(vector(), "2026-12-31")
    keys = [f.key for f in result.flags]
    assert len(keys) == len(set(keys))
    for flag in result.flags:
        json.dumps(flag.evidence)
        json.dumps(flag.params)
        assert flag.params["CFG_VEGF_RISE_PCT"] == "50"
        text = flag.explanation
        assert text.endswith(".") and ". " not in text, text


def test_tv12_engraftment_syndrome():
    dates = {"engraftment_date": d("2025-03-12"), "onset_date": d("2025-03-14")}
    assert spitzer_definite({"fever", "rash", "weight_gain"}, **dates)
    assert not spitzer_definite({"fever", "diarrhoea"}, **dates)
