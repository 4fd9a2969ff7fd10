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
                # LOINC 14682-9: Creatinine [Moles/volume] in Serum or Plasma; the canonical unit is umol/L (2160-0 is the mass code, accepted on FHIR import). Source: LOINC (Regenstrief Institute), https://loinc.org/14682-9/
                loinc="14682-9",
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
                # LOINC 62238-1: Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI). Source: LOINC (Regenstrief Institute), https://loinc.org/62238-1/
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
                # LOINC 1751-7: Albumin [Mass/volume] in Serum or Plasma. Source: LOINC (Regenstrief Institute), https://loinc.org/1751-7/
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
                # LOINC 2000-8: Calcium [Moles/volume] in Serum or Plasma; canonical mmol/L (17861-6, the mass code, accepted on FHIR import). Source: LOINC (Regenstrief Institute), https://loinc.org/2000-8/
                loinc="2000-8",
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
                # LOINC 3016-3: Thyrotropin [Units/volume] in Serum or Plasma. Source: LOINC (Regenstrief Institute), https://loinc.org/3016-3/
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
                # LOINC 14920-3: Thyroxine (T4) free [Moles/volume] in Serum or Plasma; canonical pmol/L (3024-7, mass, accepted on FHIR import). Source: LOINC (Regenstrief Institute), https://loinc.org/14920-3/
                loinc="14920-3",
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
                # LOINC 14913-8: Testosterone [Moles/volume] in Serum or Plasma; canonical nmol/L (2986-8, mass, accepted on FHIR import). Source: LOINC (Regenstrief Institute), https://loinc.org/14913-8/
                loinc="14913-8",
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
                # LOINC 2842-3: Prolactin [Mass/volume] in Serum or Plasma. Source: LOINC (Regenstrief Institute), https://loinc.org/2842-3/
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
                # LOINC 14771-0: Fasting glucose [Moles/volume] in Serum or Plasma; canonical mmol/L (2345-7 and 1558-6, mass, accepted on FHIR import). Source: LOINC (Regenstrief Institute), https://loinc.org/14771-0/
                loinc="14771-0",
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
                # LOINC 4548-4: Hemoglobin A1c/Hemoglobin.total in Blood. Source: LOINC (Regenstrief Institute), https://loinc.org/4548-4/
                loinc="4548-4",
                specimen="whole_blood",
                convertible=False,
                bounds_by_unit={"%": (Decimal(3), Decimal(20)), "mmol/mol": (Decimal(9), Decimal(200))},
            )
        },
        default_specimen="whole_blood",
    ),
)
