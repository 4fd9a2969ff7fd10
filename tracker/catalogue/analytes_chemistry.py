"""Chemistry and endocrine analytes: POEMS-DOMAIN.md section 2.2 (second part)."""

from decimal import Decimal

from tracker.catalogue.spec import Analyte, spec, units

CHEMISTRY: tuple[Analyte, ...] = (
    Analyte(
        "creatinine",
        "Creatinine",
        {
            "serum": spec(
                "creatinine",
                "Creatinine",
                "umol/L",
                units(**{"umol/L": "1", "mg/dL": "88.4"}),
                10,
                2000,
                decimal_places=0,
                loinc="2160-0",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "egfr",
        "eGFR",
        {
            "serum": spec(
                "egfr",
                "eGFR",
                "mL/min/1.73m2",
                units(**{"mL/min/1.73m2": "1"}),
                1,
                200,
                decimal_places=0,
                loinc="62238-1",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "albumin",
        "Albumin",
        {
            "serum": spec(
                "albumin",
                "Albumin",
                "g/L",
                units(**{"g/L": "1", "g/dL": "10"}),
                5,
                70,
                decimal_places=0,
                loinc="1751-7",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "calcium",
        "Calcium",
        {
            "serum": spec(
                "calcium",
                "Calcium",
                "mmol/L",
                units(**{"mmol/L": "1", "mg/dL": "0.2495"}),
                "0.5",
                "5.0",
                decimal_places=2,
                loinc="17861-6",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "tsh",
        "TSH",
        {
            "serum": spec(
                "tsh",
                "TSH",
                "mU/L",
                units(**{"mU/L": "1", "uIU/mL": "1"}),
                0,
                500,
                decimal_places=2,
                loinc="3016-3",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "free_t4",
        "Free T4",
        {
            "serum": spec(
                "free_t4",
                "Free T4",
                "pmol/L",
                units(**{"pmol/L": "1", "ng/dL": "12.87"}),
                0,
                200,
                decimal_places=1,
                loinc="3024-7",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "testosterone_total",
        "Testosterone (total)",
        {
            "serum": spec(
                "testosterone_total",
                "Testosterone",
                "nmol/L",
                units(**{"nmol/L": "1", "ng/dL": "0.0347"}),
                0,
                100,
                decimal_places=2,
                loinc="2986-8",
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "prolactin",
        "Prolactin",
        {
            "serum": spec(
                "prolactin",
                "Prolactin",
                "ug/L",
                units(**{"ug/L": "1", "mU/L": "1"}),
                0,
                10000,
                decimal_places=1,
                loinc="2842-3",
                specimen="serum",
                convertible=False,
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "cortisol",
        "Cortisol",
        {
            "serum": spec(
                "cortisol",
                "Cortisol",
                "nmol/L",
                units(**{"nmol/L": "1", "ug/dL": "27.59"}),
                0,
                3000,
                decimal_places=0,
                specimen="serum",
            )
        },
        default_specimen="serum",
    ),
    Analyte(
        "glucose_fasting",
        "Fasting glucose",
        {
            "plasma": spec(
                "glucose_fasting",
                "Fasting glucose",
                "mmol/L",
                units(**{"mmol/L": "1", "mg/dL": "0.0555"}),
                "0.5",
                50,
                decimal_places=1,
                loinc="2345-7",
                specimen="plasma",
            )
        },
        default_specimen="plasma",
    ),
    Analyte(
        "hba1c",
        "HbA1c",
        {
            "whole_blood": spec(
                "hba1c",
                "HbA1c",
                "%",
                units(**{"%": "1", "mmol/mol": "1"}),
                3,
                200,
                decimal_places=1,
                loinc="4548-4",
                specimen="whole_blood",
                convertible=False,
                bounds_by_unit={"%": (Decimal(3), Decimal(20)), "mmol/mol": (Decimal(9), Decimal(200))},
            )
        },
        default_specimen="whole_blood",
    ),
)
