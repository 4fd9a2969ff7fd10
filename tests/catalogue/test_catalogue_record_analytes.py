"""The analytes added for the whole follow-up record (INTERFACES.md section 1): units,
conversion factors, bounds, default reference ranges and LOINC codes, written out by hand."""

from decimal import Decimal

import pytest

from tracker import catalogue
from tracker.catalogue import CatalogueError, convert, get_spec

D = Decimal

ADDED = [
    "alt",
    "ast",
    "alp",
    "ggt",
    "bilirubin",
    "igg",
    "iga",
    "igm",
    "total_protein",
    "pth",
    "lh",
    "fsh",
    "oestradiol",
    "nt_probnp",
    "crp",
    "neutrophils",
    "lymphocytes",
]

# (analyte, specimen) -> (canonical unit, {unit: factor}, (low, high) bounds, LOINC or "")
EXPECTED = {
    ("alt", "serum"): ("U/L", {"U/L": "1", "IU/L": "1", "ukat/L": "60"}, ("0", "10000"), "1742-6"),
    ("ast", "serum"): ("U/L", {"U/L": "1", "IU/L": "1", "ukat/L": "60"}, ("0", "10000"), "1920-8"),
    ("alp", "serum"): ("U/L", {"U/L": "1", "IU/L": "1", "ukat/L": "60"}, ("0", "10000"), "6768-6"),
    ("ggt", "serum"): ("U/L", {"U/L": "1", "IU/L": "1", "ukat/L": "60"}, ("0", "10000"), "2324-2"),
    ("bilirubin", "serum"): ("umol/L", {"umol/L": "1", "mg/dL": "17.1"}, ("0", "1000"), "14631-6"),
    ("igg", "serum"): ("g/L", {"g/L": "1", "g/dL": "10", "mg/dL": "0.01"}, ("0", "150"), "2465-3"),
    ("iga", "serum"): ("g/L", {"g/L": "1", "g/dL": "10", "mg/dL": "0.01"}, ("0", "100"), "2458-8"),
    ("igm", "serum"): ("g/L", {"g/L": "1", "g/dL": "10", "mg/dL": "0.01"}, ("0", "100"), "2472-9"),
    ("total_protein", "serum"): ("g/L", {"g/L": "1", "g/dL": "10"}, ("20", "150"), "2885-2"),
    ("total_protein", "urine_24h"): ("mg/24h", {"mg/24h": "1", "g/24h": "1000"}, ("0", "50000"), ""),
    ("total_protein", "csf"): ("g/L", {"g/L": "1", "mg/dL": "0.01", "mg/L": "0.001"}, ("0", "30"), ""),
    ("pth", "serum"): ("pmol/L", {"pmol/L": "1", "pg/mL": "0.106", "ng/L": "0.106"}, ("0", "500"), ""),
    ("lh", "serum"): ("IU/L", {"IU/L": "1", "mIU/mL": "1", "U/L": "1"}, ("0", "500"), "10501-5"),
    ("fsh", "serum"): ("IU/L", {"IU/L": "1", "mIU/mL": "1", "U/L": "1"}, ("0", "500"), "15067-2"),
    ("oestradiol", "serum"): ("pmol/L", {"pmol/L": "1", "pg/mL": "3.671"}, ("0", "20000"), ""),
    ("nt_probnp", "serum"): ("pg/mL", {"pg/mL": "1", "ng/L": "1", "pmol/L": "8.457"}, ("0", "100000"), "33762-6"),
    ("crp", "serum"): ("mg/L", {"mg/L": "1", "mg/dL": "10"}, ("0", "1000"), "1988-5"),
    ("neutrophils", "whole_blood"): ("10^9/L", {"10^9/L": "1", "10^3/uL": "1"}, ("0", "100"), "751-8"),
    ("lymphocytes", "whole_blood"): ("10^9/L", {"10^9/L": "1", "10^3/uL": "1"}, ("0", "200"), "731-0"),
    ("m_protein", "urine_spot"): ("mg/L", {"mg/L": "1", "g/L": "1000", "mg/dL": "10"}, ("0", "30000"), ""),
    ("flc_kappa", "urine_24h"): ("mg/24h", {"mg/24h": "1", "g/24h": "1000"}, ("0", "50000"), ""),
    ("flc_kappa", "urine_spot"): ("mg/L", {"mg/L": "1", "mg/dL": "10"}, ("0", "50000"), ""),
    ("flc_lambda", "urine_24h"): ("mg/24h", {"mg/24h": "1", "g/24h": "1000"}, ("0", "50000"), ""),
    ("flc_lambda", "urine_spot"): ("mg/L", {"mg/L": "1", "mg/dL": "10"}, ("0", "50000"), ""),
}

REFERENCES = {
    ("bilirubin", "serum"): (None, "21"),
    ("igg", "serum"): ("6.0", "16.0"),
    ("iga", "serum"): ("0.8", "4.0"),
    ("igm", "serum"): ("0.5", "2.0"),
    ("total_protein", "serum"): ("60", "80"),
    ("total_protein", "csf"): ("0.15", "0.45"),
    ("crp", "serum"): (None, "5"),
    ("neutrophils", "whole_blood"): ("2.0", "7.5"),
    ("lymphocytes", "whole_blood"): ("1.0", "4.0"),
}

# (analyte, specimen, entered, unit, canonical)
CONVERSIONS = [
    ("alt", "serum", "0.5", "ukat/L", "30"),
    ("bilirubin", "serum", "1.2", "mg/dL", "20.52"),
    ("igg", "serum", "1200", "mg/dL", "12"),
    ("iga", "serum", "0.25", "g/dL", "2.5"),
    ("total_protein", "urine_24h", "0.45", "g/24h", "450"),
    ("total_protein", "csf", "85", "mg/dL", "0.85"),
    ("pth", "serum", "65", "pg/mL", "6.89"),
    ("oestradiol", "serum", "30", "pg/mL", "110.13"),
    ("nt_probnp", "serum", "100", "pmol/L", "845.7"),
    ("crp", "serum", "1.5", "mg/dL", "15"),
    ("neutrophils", "whole_blood", "3.2", "10^3/uL", "3.2"),
    ("flc_kappa", "urine_spot", "2.5", "mg/dL", "25"),
    ("m_protein", "urine_spot", "0.2", "g/L", "200"),
]


def test_every_added_code_is_in_the_catalogue():
    assert set(ADDED) <= set(catalogue.ANALYTES)
    assert "csf" in catalogue.SPECIMEN_CODES


def test_urine_specimens_for_paraprotein_and_light_chains():
    for code in ("m_protein", "ife", "flc_kappa", "flc_lambda"):
        assert {"urine_24h", "urine_spot"} <= set(catalogue.get_analyte(code).specimens), code
    assert set(catalogue.get_analyte("total_protein").specimens) == {"serum", "urine_24h", "csf"}


@pytest.mark.parametrize(
    ("key", "expected"), EXPECTED.items(), ids=lambda v: "/".join(v) if isinstance(v, tuple) and len(v) == 2 else ""
)
def test_units_bounds_and_loinc(key, expected):
    unit, factors, (low, high), loinc = expected
    spec = get_spec(*key)
    assert spec.canonical_unit == unit
    assert dict(spec.units) == {u: D(f) for u, f in factors.items()}
    assert (spec.low, spec.high) == (D(low), D(high))
    assert spec.loinc == loinc


@pytest.mark.parametrize(("key", "expected"), REFERENCES.items())
def test_default_reference_ranges(key, expected):
    reference = get_spec(*key).default_reference()
    assert (reference.low, reference.high) == tuple(None if v is None else D(v) for v in expected)


@pytest.mark.parametrize(("code", "specimen", "entered", "unit", "canonical"), CONVERSIONS)
def test_conversions(code, specimen, entered, unit, canonical):
    measurement = convert(get_spec(code, specimen), D(entered), unit)
    assert measurement.value_canonical == D(canonical)
    assert measurement.value_as_entered == D(entered)
    assert measurement.unit_as_entered == unit


def test_out_of_bounds_names_range_and_unit():
    with pytest.raises(CatalogueError) as excinfo:
        convert(get_spec("total_protein", "csf"), D("45"), "g/L")
    assert "0 to 30 g/L" in str(excinfo.value)
    with pytest.raises(CatalogueError) as excinfo:
        convert(get_spec("alt", "serum"), D("5"), "mmol/L")
    assert excinfo.value.field == "unit" and "U/L, IU/L, ukat/L" in str(excinfo.value)


def test_total_protein_needs_its_specimen():
    with pytest.raises(CatalogueError) as excinfo:
        get_spec("total_protein")
    assert excinfo.value.field == "specimen" and "csf" in str(excinfo.value)
