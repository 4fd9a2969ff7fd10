"""Row problems: every one reported as `row N, column C: message` naming what is allowed, and
one bad row means nothing at all is saved."""

from tests.record_kinds import record_model

LABS = "mrn,collected_on,analyte,value,unit,specimen\n"


def test_every_problem_is_reported_with_row_column_and_the_allowed_values(run_import, registered):
    result = run_import(
        "labs",
        LABS + "IMP-001,2024-01-10,platelets,300,,\n"  # fine, but not saved
        "IMP-009,2024-01-10,platelets,300,,\n"
        "IMP-001,2024-01-10,vegf,60000,pg/mL,serum\n"
        "IMP-001,2024-01-10,hemoglobin,13,mg/L,\n"
        "IMP-001,2024-01-10,vegf,500,,\n"
        "IMP-001,2024-01-10,ife,maybe,,serum\n"
        'IMP-001,2024-01-10,calcium,"2,4",,\n'
        "IMP-001,2024-01-10,sodium,140,,\n"
        "IMP-001,2024-01-10,wbc,,,\n",
    )
    assert not result.ok
    assert result.problems == [
        "row 2, column mrn: unknown mrn 'IMP-009'; register the patient first (no patient is ever created implicitly)",
        "row 3, column value: 60,000 pg/mL is outside the plausible range for Serum VEGF: 0 to 50,000 pg/mL",
        "row 4, column unit: unit 'mg/L' is not accepted for Haemoglobin; allowed: g/L, g/dL",
        "row 5, column specimen: specimen is required for vegf; allowed: serum, plasma",
        "row 6, column value: Immunofixation (serum) takes one of negative, positive, equivocal, not_done, not 'maybe'",
        "row 7, column value: '2,4' is not a number (use '.' for decimals, as in 6.5; a comma only separates "
        "thousands, as in 1,250)",
        "row 8, column analyte: unknown analyte 'sodium'; allowed: vegf, hemoglobin, hematocrit, platelets, wbc, "
        "m_protein, ife, flc_kappa, flc_lambda, flc_ratio, creatinine, egfr, albumin, calcium, tsh, free_t4, "
        "testosterone_total, prolactin, cortisol, glucose_fasting, hba1c, alt, ast, alp, ggt, bilirubin, igg, iga, "
        "igm, total_protein, pth, lh, fsh, oestradiol, nt_probnp, crp, neutrophils, lymphocytes",
        "row 9, column value: Enter the White cells value (×10⁹/L, ×10³/µL).",
    ]
    assert "CommandError: 8 problem(s) in 8 row(s)" in result.err and "nothing saved" in result.err
    assert record_model("lab").objects.count() == 0
    assert result.out == ""


def test_a_unit_conversion_out_of_range_names_the_range_in_both_units(run_import, registered):
    result = run_import("labs", LABS + "IMP-001,2024-01-10,hemoglobin,30,g/dL,\n")
    assert result.problems == [
        "row 1, column value: 30 g/dL is outside the plausible range for Haemoglobin: 30 to 250 g/L (3 to 25 g/dL)"
    ]


def test_model_rules_of_manual_entry_apply_to_each_row(run_import, registered):
    result = run_import(
        "treatments",
        "mrn,category,start_date,end_date,intent,line,agents,melphalan_mg_m2\n"
        "IMP-001,systemic_anti_plasma_cell,2024-05-01,2024-04-01,frontline,1,lenalidomide,\n"
        "IMP-001,corticosteroid,2024-05-01,,urgent,0,aspirin;magic,\n"
        "IMP-001,radiotherapy,2024-06-01,,,,,200\n",
    )
    assert result.problems == [
        "row 1, column end_date: End date cannot be before the start date.",
        "row 2, column agents: 'magic' is not allowed; allowed: melphalan, lenalidomide, thalidomide, pomalidomide, "
        "bortezomib, ixazomib, cyclophosphamide, daratumumab, dexamethasone, prednisolone, bevacizumab, "
        "amitriptyline, duloxetine, gabapentin, pregabalin, aspirin, lmwh, doac, other",
        "row 2, column intent: 'urgent' is not allowed; allowed: frontline, salvage, bridging_or_priming, "
        "mobilisation, conditioning, maintenance, symptomatic",
        "row 3, column melphalan_mg_m2: Melphalan dose and infusion date apply only to ASCT.",
    ]
    assert record_model("treatment").objects.count() == 0


def test_bounds_name_the_range_and_unit(run_import, registered):
    result = run_import(
        "visits",
        "mrn,visit_date,onls_leg,weight_kg,ecog\nIMP-001,2024-01-10,8,12.5,\nIMP-001,2024-01-11,,,two\n",
    )
    assert result.problems == [
        "row 1, column onls_leg: ONLS leg must be between 0 and 7 points.",
        "row 1, column weight_kg: Weight must be between 20.0 and 300.0 kg.",
        "row 2, column ecog: 'two' is not a whole number; ECOG must be between 0 and 5 points",
    ]
    assert record_model("visit").objects.count() == 0


def test_a_row_whose_cells_cannot_be_read_is_checked_against_the_model_once_they_can(run_import, registered):
    """Unreadable cells are reported first; the model's own rules run on the row once it parses."""
    result = run_import("visits", "mrn,visit_date,onls_leg,ecog\nIMP-001,2024-01-10,8,two\n")
    assert result.problems == ["row 1, column ecog: 'two' is not a whole number; ECOG must be between 0 and 5 points"]


def test_required_cells_and_booleans_say_what_they_take(run_import, registered):
    result = run_import(
        "imaging",
        "mrn,study_date,modality,new_lesion\nIMP-001,,pet_ct,yes\nIMP-001,2024-01-10,,\n",
    )
    assert result.problems == [
        "row 1, column study_date: a value is required (a date as YYYY-MM-DD)",
        "row 1, column new_lesion: 'yes' is not allowed; use true or false",
        "row 2, column modality: a value is required (one of pet_ct, ct, mri, xray)",
    ]


def test_a_row_repeating_a_key_with_other_values_is_an_error_but_an_identical_repeat_is_not(run_import, registered):
    result = run_import(
        "visits",
        "mrn,visit_date,onls_arm\nIMP-001,2024-01-10,2\nIMP-001,2024-01-10,2\nIMP-001,2024-01-10,3\n",
    )
    assert result.problems == [
        "row 3, column onls_arm: row 1 has the same mrn, visit_date with '2'; this row says '3' "
        "(one file may repeat a record only with the same values)"
    ]
    assert not result.ok
    ok = run_import("visits", "mrn,visit_date,onls_arm\nIMP-001,2024-01-10,2\nIMP-001,2024-01-10,2\n")
    assert ok.out.strip() == "imported: 1 created, 1 unchanged, 0 updated"
