"""The documented example files, imported: three synthetic patients with every kind of record."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
ORDER = ("patients", "treatments", "labs", "visits", "symptoms", "ncs", "imaging")


@pytest.fixture
def example_record(db, clinic):
    for kind in ORDER:
        call_command("import_csv", kind, str(EXAMPLES / f"{kind}.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    return EXAMPLES


@pytest.fixture
def pseudonym_key(settings):
    settings.POEMS_PSEUDONYM_KEY = "test-installation-secret-0123456789"
    return settings.POEMS_PSEUDONYM_KEY


WHOLE_RECORD = ("marrow", "events", "lesions")
EXAM_VISITS = """mrn,visit_date,mrc_sum,vibration_sense,reflexes,oedema,skin_changes,organomegaly,papilloedema
IMP-003,2024-01-08,52,reduced,absent,true,true,false,
IMP-003,2024-10-05,56,normal,reduced,false,,,false
"""
DEATH = """mrn,event,onset_date,grade,resolved_on,ctcae_term,treatment_related,cause,notes
IMP-002,death,2024-02-11,,,,,Pneumonia after a fall,Died at home
IMP-001,progression,2025-03-03,,,,,,Rising VEGF and new lesion
"""
# Every analyte added for the whole record, in each of its specimens, and the urine specimens of
# the paraprotein and light chains: one value each, in the canonical unit unless a unit is given.
NEW_ANALYTES = """mrn,collected_on,analyte,value,unit,specimen
IMP-003,2024-02-01,alt,35,,
IMP-003,2024-02-01,ast,28,IU/L,
IMP-003,2024-02-01,alp,1.5,ukat/L,
IMP-003,2024-02-01,ggt,40,,
IMP-003,2024-02-01,bilirubin,0.8,mg/dL,
IMP-003,2024-02-01,igg,9.5,,
IMP-003,2024-02-01,iga,350,mg/dL,
IMP-003,2024-02-01,igm,0.6,g/L,
IMP-003,2024-02-01,total_protein,72,,serum
IMP-003,2024-02-01,total_protein,0.4,g/24h,urine_24h
IMP-003,2024-02-01,total_protein,95,mg/dL,csf
IMP-003,2024-02-01,pth,45,pg/mL,
IMP-003,2024-02-01,lh,6,mIU/mL,
IMP-003,2024-02-01,fsh,8,,
IMP-003,2024-02-01,oestradiol,110,,
IMP-003,2024-02-01,nt_probnp,450,,
IMP-003,2024-02-01,crp,1.2,mg/dL,
IMP-003,2024-02-01,neutrophils,4.1,,
IMP-003,2024-02-01,lymphocytes,1.8,10^3/uL,
IMP-003,2024-02-01,m_protein,150,,urine_24h
IMP-003,2024-02-01,m_protein,0.02,g/L,urine_spot
IMP-003,2024-02-01,ife,positive,,urine_24h
IMP-003,2024-02-01,flc_kappa,12,,urine_24h
IMP-003,2024-02-01,flc_lambda,3.5,mg/dL,urine_spot
"""


@pytest.fixture
def whole_record(example_record, tmp_path_factory):
    """The example record, with the marrow, events and lesions examples, an examination at two
    visits, a death and a confirmed progression, and a value of every analyte of the whole record."""
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    folder = tmp_path_factory.mktemp("whole")
    for kind, text in (("visits", EXAM_VISITS), ("labs", NEW_ANALYTES)):
        path = folder / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        call_command("import_csv", kind, str(path), **quiet)
    for kind in WHOLE_RECORD:
        call_command("import_csv", kind, str(EXAMPLES / f"{kind}.csv"), **quiet)
    (folder / "death.csv").write_text(DEATH, encoding="utf-8")
    call_command("import_csv", "events", str(folder / "death.csv"), **quiet)
    return EXAMPLES
