"""Each of the seven kinds imports its columns into the record exactly as manual entry would."""

import datetime
from decimal import Decimal

from tests.record_kinds import record_model
from tracker.models import (
    Patient,
)


def test_patients_are_registered_into_the_named_clinic_with_defaults(run_import, clinic):
    result = run_import(
        "patients",
        "mrn,given_name,family_name,birth_date,sex,clinic,diagnosis_date,light_chain\n"
        "IMP-001,Alex,Example,1968-04-12,Female,north,2023-11-20,lambda\n"
        "IMP-002,Sam,Sample,1975-09-03,male,,,\n",
    )
    assert result.ok, result.err
    assert result.out.strip() == "imported: 2 created, 0 unchanged, 0 updated"
    first, second = Patient.objects.order_by("mrn")
    assert (first.sex, first.clinic, first.diagnosis_date, first.light_chain) == (
        "female",
        clinic,
        datetime.date(2023, 11, 20),
        "lambda",
    )
    assert second.light_chain == "unknown" and second.diagnosis_date is None
    assert first.history.count() == 1 and first.history.get().history_user.username == "import"


def test_patients_name_an_unknown_clinic(run_import, clinic):
    result = run_import(
        "patients", "mrn,given_name,family_name,birth_date,sex,clinic\nIMP-001,A,B,1970-01-01,male,west\n"
    )
    assert result.problems == ["row 1, column clinic: unknown clinic 'west'; allowed: north"]


def test_treatments_keep_agents_and_leave_a_blank_anchor_to_the_default_rule(run_import, registered):
    result = run_import(
        "treatments",
        "mrn,category,start_date,regimen,agents,intent,line,end_date,anchor_date,total_dose_gy,fractions,melphalan_mg_m2,notes\n"
        'IMP-001,systemic_anti_plasma_cell,2024-01-08,Rd,lenalidomide; dexamethasone,frontline,1,2024-09-30,,,,,"Rd, 9 cycles"\n'
        "IMP-002,asct,2022-09-01,HDM-ASCT,melphalan,conditioning,1,2022-09-01,2022-09-01,,,200,\n"
        "IMP-002,radiotherapy,2021-02-20,,,frontline,1,2021-04-01,,45.5,25,,\n",
    )
    assert result.ok, result.err
    rd = record_model("treatment").objects.get(regimen="Rd")
    assert rd.agents == ["lenalidomide", "dexamethasone"] and rd.notes == "Rd, 9 cycles"
    assert rd.anchor_date is None and rd.response_anchor == datetime.date(2024, 9, 30)
    asct = record_model("treatment").objects.get(category="asct")
    assert asct.melphalan_mg_m2 == Decimal("200") and asct.anchor_date == datetime.date(2022, 9, 1)
    rt = record_model("treatment").objects.get(category="radiotherapy")
    assert (rt.total_dose_gy, rt.fractions) == (Decimal("45.5"), 25)


def test_labs_convert_units_keep_comparators_categories_and_report_ranges(run_import, registered):
    result = run_import(
        "labs",
        "mrn,collected_on,analyte,value,unit,specimen,ref_low,ref_high,lab,assay,detail,confounders\n"
        "IMP-001,2024-01-10,hemoglobin,13.5,g/dL,,12,16,City lab,,,\n"
        "IMP-001,2024-01-10,vegf,1250,ng/L,serum,,1000,City lab,ELISA,,acute_illness;copd\n"
        "IMP-001,2024-01-10,flc_kappa,<5,,serum,,,City lab,,,\n"
        "IMP-001,2024-01-10,ife,positive,,serum,,,City lab,,IgA-lambda,\n"
        "IMP-002,2024-01-10,platelets,520,10^3/uL,,,,City lab,,,\n",
    )
    assert result.ok, result.err
    hb = record_model("lab").objects.get(analyte="hemoglobin")
    assert (hb.value_canonical, hb.unit_canonical, hb.value_as_entered, hb.unit_as_entered) == (
        135,
        "g/L",
        Decimal("13.5"),
        "g/dL",
    )
    assert (hb.ref_low, hb.ref_high) == (120, 160)  # report range converted from the row's unit
    assert hb.source == "import" and hb.specimen == "whole_blood"
    vegf = record_model("lab").objects.get(analyte="vegf")
    assert vegf.confounders == ["acute_illness", "copd"] and vegf.assay == "ELISA" and vegf.ref_high == 1000
    kappa = record_model("lab").objects.get(analyte="flc_kappa")
    assert (kappa.comparator, kappa.value_canonical) == ("<", 5)
    ife = record_model("lab").objects.get(analyte="ife")
    assert (ife.category, ife.detail, ife.value_canonical) == ("positive", "IgA-lambda", None)
    platelets = record_model("lab").objects.get(analyte="platelets")
    # No range on the row: none is stored; pages and rules fall back to the defaults.
    assert platelets.unit_canonical == "10^9/L" and (platelets.ref_low, platelets.ref_high) == (None, None)
    assert platelets.reference == (150, 400, True) and platelets.display_reference == "150–400 ×10⁹/L (default)"


def test_visits_store_scores_and_weight(run_import, registered):
    result = run_import(
        "visits",
        "mrn,visit_date,onls_arm,onls_leg,incat_arm,incat_leg,mrs,ecog,pain_nrs,weight_kg,notes\n"
        "IMP-001,2024-01-10,2,4,2,3,3,2,6,61.5,Baseline\n",
    )
    assert result.ok, result.err
    visit = record_model("visit").objects.get()
    assert (visit.onls_total, visit.incat_total, visit.mrs, visit.weight_kg, visit.notes) == (
        6,
        5,
        3,
        Decimal("61.5"),
        "Baseline",
    )
    assert visit.clinician is None


def test_symptom_reports_are_marked_as_imported(run_import, registered):
    result = run_import(
        "symptoms",
        "mrn,reported_on,swelling,fatigue,weight_kg,other_symptoms\nIMP-001,2025-02-18,3,5,64.1,Ankles swollen\n",
    )
    assert result.ok, result.err
    report = record_model("symptoms").objects.get()
    assert report.source == "import" and report.swelling == 3 and report.pain is None


def test_ncs_rows_group_into_one_study_per_date_and_reuse_an_existing_study(run_import, registered):
    header = "mrn,study_date,nerve,side,kind,site,cmap_amp_mv,dml_ms,snap_amp_uv,absent,lab,temperature_c\n"
    first = run_import(
        "ncs",
        header + "IMP-002,2023-09-10,peroneal,right,motor,ankle,2.0,6.1,,false,NeuroLab,32.5\n"
        "IMP-002,2023-09-10,sural,right,sensory,,,,,TRUE,,\n",
    )
    assert first.ok, first.err
    study = record_model("ncs").objects.get()
    assert (study.lab, study.temperature_c) == ("NeuroLab", Decimal("32.5"))
    assert record_model("ncsresult").objects.get(nerve="sural").absent is True
    assert record_model("ncsresult").objects.get(nerve="sural").site == ""
    second = run_import("ncs", header + "IMP-002,2023-09-10,median,left,motor,wrist,4.2,5.8,,,,\n")
    assert second.ok, second.err
    assert record_model("ncs").objects.count() == 1 and study.results.count() == 3


def test_ncs_rows_of_one_study_must_agree_on_the_lab(run_import, registered):
    result = run_import(
        "ncs",
        "mrn,study_date,nerve,side,kind,lab\n"
        "IMP-002,2023-09-10,peroneal,right,motor,NeuroLab\n"
        "IMP-002,2023-09-10,tibial,right,motor,OtherLab\n",
    )
    assert not result.ok
    assert result.problems[0].startswith("row 2, column lab: the study of 2023-09-10 has lab 'NeuroLab'")
    assert record_model("ncs").objects.count() == 0


def test_imaging_studies_take_category_and_new_lesion(run_import, registered):
    result = run_import(
        "imaging",
        "mrn,study_date,modality,response_category,new_lesion,notes\nIMP-001,2024-10-05,pet_ct,pd,true,New L3 lesion\n",
    )
    assert result.ok, result.err
    study = record_model("imaging").objects.get()
    assert (study.response_category, study.new_lesion, study.notes) == ("PD", True, "New L3 lesion")
