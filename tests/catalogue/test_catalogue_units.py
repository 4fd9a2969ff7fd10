"""Every analyte of POEMS-DOMAIN.md section 2.2: accepted units, conversion factors and bounds.

The tables below are written out by hand from the domain specification, so a wrong factor or
bound in tracker/catalogue/ fails here rather than being checked against itself.
"""

import re
from decimal import Decimal

import pytest

from tests.catalogue.test_catalogue_record_analytes import EXPECTED as RECORD_EXPECTED
from tracker import catalogue
from tracker.catalogue import CatalogueError, convert, display_unit, get_spec

D = Decimal

# (analyte, specimen) -> {unit: factor to the canonical unit}, as POEMS-DOMAIN.md 2.2 gives them.
EXPECTED_FACTORS = {
    ("vegf", "serum"): {"pg/mL": "1", "ng/L": "1"},
    ("vegf", "plasma"): {"pg/mL": "1", "ng/L": "1"},
    ("hemoglobin", "whole_blood"): {"g/L": "1", "g/dL": "10"},
    ("hematocrit", "whole_blood"): {"L/L": "1", "%": "0.01"},
    ("platelets", "whole_blood"): {"10^9/L": "1", "10^3/uL": "1"},
    ("wbc", "whole_blood"): {"10^9/L": "1", "10^3/uL": "1"},
    ("m_protein", "serum"): {"g/dL": "1", "g/L": "0.1"},
    ("m_protein", "urine_24h"): {"mg/24h": "1", "g/24h": "1000"},
    ("flc_kappa", "serum"): {"mg/L": "1", "mg/dL": "10"},
    ("flc_lambda", "serum"): {"mg/L": "1", "mg/dL": "10"},
    ("flc_ratio", "serum"): {"ratio": "1"},
    ("creatinine", "serum"): {"umol/L": "1", "mg/dL": "88.4"},
    ("egfr", "serum"): {"mL/min/1.73m2": "1"},
    ("albumin", "serum"): {"g/L": "1", "g/dL": "10"},
    ("calcium", "serum"): {"mmol/L": "1", "mg/dL": "0.2495"},
    ("tsh", "serum"): {"mU/L": "1", "uIU/mL": "1"},
    ("free_t4", "serum"): {"pmol/L": "1", "ng/dL": "12.87"},
    ("testosterone_total", "serum"): {"nmol/L": "1", "ng/dL": "0.0347"},
    ("cortisol", "serum"): {"nmol/L": "1", "ug/dL": "27.59"},
    ("glucose_fasting", "plasma"): {"mmol/L": "1", "mg/dL": "0.0555"},
}
# Reported in incompatible unit systems: kept as entered, each unit its own canonical unit.
NOT_CONVERTED = {
    ("prolactin", "serum"): ("ug/L", "mU/L"),
    ("hba1c", "whole_blood"): ("%", "mmol/mol"),
}
CATEGORICAL = {("ife", "serum"), ("ife", "urine_24h"), ("ife", "urine_spot")}

# (analyte, specimen, value entered, unit entered, expected canonical value, canonical unit)
CONVERSIONS = [
    ("vegf", "serum", "1234.5", "pg/mL", "1234.5", "pg/mL"),
    ("vegf", "serum", "1234.5", "ng/L", "1234.5", "pg/mL"),
    ("vegf", "plasma", "80", "ng/L", "80", "pg/mL"),
    ("hemoglobin", "whole_blood", "13.5", "g/dL", "135", "g/L"),
    ("hemoglobin", "whole_blood", "135", "g/L", "135", "g/L"),
    ("hematocrit", "whole_blood", "42", "%", "0.42", "L/L"),
    ("platelets", "whole_blood", "250", "10^3/uL", "250", "10^9/L"),
    ("wbc", "whole_blood", "6.5", "10^3/uL", "6.5", "10^9/L"),
    ("m_protein", "serum", "4.5", "g/L", "0.45", "g/dL"),
    ("m_protein", "urine_24h", "0.15", "g/24h", "150", "mg/24h"),
    ("flc_kappa", "serum", "1.52", "mg/dL", "15.2", "mg/L"),
    ("flc_lambda", "serum", "4.1", "mg/dL", "41", "mg/L"),
    ("flc_ratio", "serum", "0.5", "ratio", "0.5", "ratio"),
    ("creatinine", "serum", "1.0", "mg/dL", "88.4", "umol/L"),
    ("egfr", "serum", "75", "mL/min/1.73m2", "75", "mL/min/1.73m2"),
    ("albumin", "serum", "4.2", "g/dL", "42", "g/L"),
    ("calcium", "serum", "9.2", "mg/dL", "2.2954", "mmol/L"),
    ("tsh", "serum", "2.5", "uIU/mL", "2.5", "mU/L"),
    ("free_t4", "serum", "1.2", "ng/dL", "15.444", "pmol/L"),
    ("testosterone_total", "serum", "500", "ng/dL", "17.35", "nmol/L"),
    ("cortisol", "serum", "10", "ug/dL", "275.9", "nmol/L"),
    ("glucose_fasting", "plasma", "90", "mg/dL", "4.995", "mmol/L"),
    ("prolactin", "serum", "12", "ug/L", "12", "ug/L"),
    ("prolactin", "serum", "250", "mU/L", "250", "mU/L"),
    ("hba1c", "whole_blood", "6.5", "%", "6.5", "%"),
    ("hba1c", "whole_blood", "48", "mmol/mol", "48", "mmol/mol"),
]

# (analyte, specimen, unit the bounds apply in) -> (low, high), from POEMS-DOMAIN.md 2.2.
EXPECTED_BOUNDS = {
    ("vegf", "serum", "pg/mL"): ("0", "50000"),
    ("vegf", "plasma", "pg/mL"): ("0", "10000"),
    ("hemoglobin", "whole_blood", "g/L"): ("30", "250"),
    ("hematocrit", "whole_blood", "L/L"): ("0.10", "0.80"),
    ("platelets", "whole_blood", "10^9/L"): ("0", "3000"),
    ("wbc", "whole_blood", "10^9/L"): ("0", "200"),
    ("m_protein", "serum", "g/dL"): ("0", "15"),
    ("m_protein", "urine_24h", "mg/24h"): ("0", "30000"),
    ("flc_kappa", "serum", "mg/L"): ("0", "50000"),
    ("flc_lambda", "serum", "mg/L"): ("0", "50000"),
    ("flc_ratio", "serum", "ratio"): ("0.001", "1000"),
    ("creatinine", "serum", "umol/L"): ("10", "2000"),
    ("egfr", "serum", "mL/min/1.73m2"): ("1", "200"),
    ("albumin", "serum", "g/L"): ("5", "70"),
    ("calcium", "serum", "mmol/L"): ("0.5", "5.0"),
    ("tsh", "serum", "mU/L"): ("0", "500"),
    ("free_t4", "serum", "pmol/L"): ("0", "200"),
    ("testosterone_total", "serum", "nmol/L"): ("0", "100"),
    ("cortisol", "serum", "nmol/L"): ("0", "3000"),
    ("glucose_fasting", "plasma", "mmol/L"): ("0.5", "50"),
    ("prolactin", "serum", "ug/L"): ("0", "10000"),
    ("prolactin", "serum", "mU/L"): ("0", "10000"),
    ("hba1c", "whole_blood", "%"): ("3", "20"),
    ("hba1c", "whole_blood", "mmol/mol"): ("9", "200"),
}

# The analytes added for the whole record, from their own hand-written table.
EXPECTED_FACTORS.update({key: factors for key, (_, factors, _, _) in RECORD_EXPECTED.items()})
EXPECTED_BOUNDS.update({(*key, unit): bounds for key, (unit, _, bounds, _) in RECORD_EXPECTED.items()})

ALL_SPECS = [spec for analyte in catalogue.ANALYTES.values() for spec in analyte.specs.values()]
NUMERIC_SPECS = [spec for spec in ALL_SPECS if not spec.categorical]
ACCEPTED_UNITS = [(spec, unit) for spec in NUMERIC_SPECS for unit in spec.units]


def _spec_id(spec):
    return spec.key


def _text(value: Decimal) -> str:
    """A bound as a person writes it: thousands separators, no trailing zeros."""
    if value == value.to_integral():
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def test_every_catalogue_spec_has_a_hand_written_expectation():
    keys = {(spec.code, spec.specimen) for spec in ALL_SPECS}
    assert keys == set(EXPECTED_FACTORS) | set(NOT_CONVERTED) | CATEGORICAL


def test_bounds_table_covers_every_numeric_spec_and_unit_system():
    covered = {(code, specimen) for code, specimen, _ in EXPECTED_BOUNDS}
    assert covered == {(spec.code, spec.specimen) for spec in NUMERIC_SPECS}


@pytest.mark.parametrize(("key", "factors"), EXPECTED_FACTORS.items(), ids=lambda v: str(v))
def test_accepted_units_and_factors_match_the_domain_table(key, factors):
    spec = get_spec(*key)
    assert spec.convertible
    assert dict(spec.units) == {u: D(f) for u, f in factors.items()}


@pytest.mark.parametrize(("key", "units"), NOT_CONVERTED.items(), ids=lambda v: str(v))
def test_prolactin_and_hba1c_are_never_converted(key, units):
    spec = get_spec(*key)
    assert not spec.convertible
    assert tuple(spec.units) == units
    for unit in units:
        measured = convert(spec, D("12"), unit)
        assert (measured.value_canonical, measured.unit_canonical) == (D("12"), unit)


@pytest.mark.parametrize(("code", "specimen", "entered", "unit", "canonical", "canonical_unit"), CONVERSIONS)
def test_value_in_each_accepted_unit_converts_with_the_documented_factor(
    code, specimen, entered, unit, canonical, canonical_unit
):
    measured = convert(get_spec(code, specimen), D(entered), unit)
    assert measured.value_canonical == D(canonical)
    assert measured.unit_canonical == canonical_unit
    assert (measured.value_as_entered, measured.unit_as_entered) == (D(entered), unit)
    assert measured.comparator == "="


@pytest.mark.parametrize(("spec", "unit"), ACCEPTED_UNITS, ids=lambda v: getattr(v, "key", v))
def test_every_accepted_unit_multiplies_by_its_factor(spec, unit):
    low, high = catalogue.bounds_for(spec, spec.canonical_unit if spec.convertible else unit)
    factor = spec.units[unit] if spec.convertible else D(1)
    midpoint = (low + high) / 2
    entered = (midpoint / factor).quantize(D("0.01"))
    measured = convert(spec, entered, unit)
    expected = (entered * factor).quantize(D(1).scaleb(-spec.decimal_places - 2))
    assert measured.value_canonical == expected


@pytest.mark.parametrize("spec", NUMERIC_SPECS, ids=_spec_id)
def test_blank_unit_means_the_canonical_unit(spec):
    low, high = catalogue.bounds_for(spec, spec.canonical_unit)
    measured = convert(spec, high, "  ")
    assert measured.unit_as_entered == spec.canonical_unit
    assert measured.value_canonical == high


@pytest.mark.parametrize(("key", "bounds"), EXPECTED_BOUNDS.items(), ids=lambda v: "/".join(v))
def test_lower_and_upper_bound_are_accepted_exactly(key, bounds):
    code, specimen, unit = key
    spec = get_spec(code, specimen)
    for bound in bounds:
        assert convert(spec, D(bound), unit).value_canonical == D(bound)


@pytest.mark.parametrize(("key", "bounds"), EXPECTED_BOUNDS.items(), ids=lambda v: "/".join(v))
def test_just_outside_either_bound_is_refused_naming_range_and_unit(key, bounds):
    code, specimen, unit = key
    spec = get_spec(code, specimen)
    low, high = D(bounds[0]), D(bounds[1])
    step = D(1).scaleb(-spec.decimal_places - 2)
    shown = display_unit(unit)  # the message writes units as people read them: ×10⁹/L, µmol/L
    expected_range = f"{_text(low)} to {_text(high)}" + (f" {shown}" if shown else "")
    for outside in (low - step, high + step):
        with pytest.raises(CatalogueError) as refused:
            convert(spec, outside, unit)
        message = str(refused.value)
        assert expected_range in message
        assert spec.label in message


def test_vegf_serum_above_50000_pg_ml_is_refused_naming_range_and_unit():
    with pytest.raises(CatalogueError, match=r"0 to 50,000 pg/mL"):
        convert(get_spec("vegf", "serum"), D("50000.1"), "pg/mL")


def test_vegf_plasma_limit_is_10000_not_the_serum_limit():
    with pytest.raises(CatalogueError, match=r"Plasma VEGF: 0 to 10,000 pg/mL"):
        convert(get_spec("vegf", "plasma"), D("12000"), "ng/L")


def test_out_of_range_in_a_converted_unit_also_states_the_range_in_that_unit():
    with pytest.raises(CatalogueError) as refused:
        convert(get_spec("hemoglobin"), D("26"), "g/dL")
    assert str(refused.value) == (
        "26 g/dL is outside the plausible range for Haemoglobin: 30 to 250 g/L (3 to 25 g/dL)"
    )


@pytest.mark.parametrize(
    ("code", "unit", "value"),
    [("calcium", "mg/dL", "1.5"), ("free_t4", "ng/dL", "20"), ("creatinine", "mg/dL", "0.05")],
)
def test_range_given_in_the_entered_unit_is_rounded_for_people(code, unit, value):
    with pytest.raises(CatalogueError) as refused:
        convert(get_spec(code), D(value), unit)
    long_decimals = re.findall(r"\d+\.\d{5,}", str(refused.value))
    assert long_decimals == []


@pytest.mark.parametrize("spec", NUMERIC_SPECS, ids=_spec_id)
def test_unknown_unit_is_refused_naming_every_allowed_unit(spec):
    with pytest.raises(CatalogueError) as refused:
        convert(spec, D("1"), "furlongs")
    message = str(refused.value)
    assert "'furlongs' is not accepted" in message
    assert f"allowed: {', '.join(display_unit(unit) or unit for unit in spec.units)}" in message


def test_a_unit_from_another_analyte_is_refused_for_vegf():
    with pytest.raises(CatalogueError, match=r"unit 'mg/L' is not accepted for Serum VEGF; allowed: pg/mL, ng/L"):
        convert(get_spec("vegf", "serum"), D("500"), "mg/L")


@pytest.mark.parametrize("key", sorted(CATEGORICAL))
def test_immunofixation_takes_a_category_not_a_number(key):
    spec = get_spec(*key)
    assert spec.categorical
    with pytest.raises(CatalogueError, match="takes a category"):
        convert(spec, D("1"))


def test_deployment_bounds_override_widens_the_serum_vegf_limit():
    spec = get_spec("vegf", "serum")
    measured = convert(spec, D("55000"), "pg/mL", bounds_overrides={"vegf/serum": ("0", "60000")})
    assert measured.value_canonical == D("55000")
    with pytest.raises(CatalogueError, match="0 to 50,000 pg/mL"):
        convert(spec, D("55000"), "pg/mL", bounds_overrides={"vegf/plasma": ("0", "60000")})
