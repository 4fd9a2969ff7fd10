"""Blood counts, VEGF and the paraprotein: POEMS-DOMAIN.md section 2.2 (first part).

Units are spelled as INTERFACES.md section 1 spells them ("u" for micro).
"""

from decimal import Decimal

from tracker.catalogue.spec import Analyte, AnalyteSpec, ref, spec, units

PG_ML = {"pg/mL": Decimal(1), "ng/L": Decimal(1)}
PER_L = {"10^9/L": Decimal(1), "10^3/uL": Decimal(1)}


def urine_light_chain(code: str, label: str) -> dict[str, AnalyteSpec]:
    """Urine free light chains (Bence Jones protein): 24-hour excretion and spot concentration.

    Never compared with serum values (a different specimen is a different series); LOINC left
    blank (not verified here).
    """
    return {
        "urine_24h": spec(
            code,
            f"{label} (urine, 24 h)",
            "mg/24h",
            units(**{"mg/24h": "1", "g/24h": "1000"}),
            0,
            50000,
            decimal_places=1,
            specimen="urine_24h",
        ),
        "urine_spot": spec(
            code,
            f"{label} (urine, spot)",
            "mg/L",
            units(**{"mg/L": "1", "mg/dL": "10"}),
            0,
            50000,
            decimal_places=1,
            specimen="urine_spot",
        ),
    }


HAEMATOLOGY: tuple[Analyte, ...] = (
    Analyte(
        "vegf",
        "VEGF",
        {
            "serum": spec(
                "vegf",
                "Serum VEGF",
                "pg/mL",
                PG_ML,
                0,
                50000,
                decimal_places=1,
                specimen="serum",
                reference=ref(None, 1000),
            ),
            "plasma": spec(
                "vegf",
                "Plasma VEGF",
                "pg/mL",
                PG_ML,
                0,
                10000,
                decimal_places=1,
                specimen="plasma",
                reference=ref(None, "96.2"),
            ),
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "hemoglobin",
        "Haemoglobin",
        {
            "whole_blood": spec(
                "hemoglobin",
                "Haemoglobin",
                "g/L",
                units(**{"g/L": "1", "g/dL": "10"}),
                30,
                250,
                decimal_places=0,
                # LOINC 718-7: Hemoglobin [Mass/volume] in Blood. Source: LOINC (Regenstrief Institute), https://loinc.org/718-7/
                loinc="718-7",
                specimen="whole_blood",
                reference=ref(120, 180),
                reference_by_sex={"male": ref(130, 180), "female": ref(120, 160)},
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "hematocrit",
        "Haematocrit",
        {
            "whole_blood": spec(
                "hematocrit",
                "Haematocrit",
                "L/L",
                units(**{"L/L": "1", "%": "0.01"}),
                "0.10",
                "0.80",
                decimal_places=3,
                # LOINC 4544-3: Hematocrit [Volume Fraction] of Blood by Automated count. Source: LOINC (Regenstrief Institute), https://loinc.org/4544-3/
                loinc="4544-3",
                specimen="whole_blood",
                reference=ref("0.34", "0.51"),
                reference_by_sex={"male": ref("0.38", "0.51"), "female": ref("0.34", "0.47")},
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "platelets",
        "Platelets",
        {
            "whole_blood": spec(
                "platelets",
                "Platelets",
                "10^9/L",
                PER_L,
                0,
                3000,
                decimal_places=0,
                # LOINC 777-3: Platelets [#/volume] in Blood by Automated count. Source: LOINC (Regenstrief Institute), https://loinc.org/777-3/
                loinc="777-3",
                specimen="whole_blood",
                reference=ref(150, 400),
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "wbc",
        "White cells",
        {
            "whole_blood": spec(
                "wbc",
                "White cells",
                "10^9/L",
                PER_L,
                0,
                200,
                decimal_places=1,
                # LOINC 6690-2: Leukocytes [#/volume] in Blood by Automated count. Source: LOINC (Regenstrief Institute), https://loinc.org/6690-2/
                loinc="6690-2",
                specimen="whole_blood",
                reference=ref("4.0", "11.0"),
            )
        },
        default_specimen="whole_blood",
        panel_group="fbc",
    ),
    Analyte(
        "m_protein",
        "M-protein",
        {
            "serum": spec(
                "m_protein",
                "Serum M-protein",
                "g/dL",
                units(**{"g/dL": "1", "g/L": "0.1"}),
                0,
                15,
                decimal_places=2,
                # LOINC 33358-3: Protein.monoclonal [Mass/volume] in Serum or Plasma by Electrophoresis. Source: LOINC (Regenstrief Institute), https://loinc.org/33358-3/
                loinc="33358-3",
                specimen="serum",
            ),
            "urine_24h": spec(
                "m_protein",
                "Urine M-protein (24 h)",
                "mg/24h",
                units(**{"mg/24h": "1", "g/24h": "1000"}),
                0,
                30000,
                decimal_places=0,
                # LOINC 42482-0: Protein.monoclonal [Mass/time] in 24 hour Urine by Electrophoresis. Source: LOINC (Regenstrief Institute), https://loinc.org/42482-0/
                loinc="42482-0",
                specimen="urine_24h",
            ),
            # Spot urine M-protein: LOINC left blank (not verified here).
            "urine_spot": spec(
                "m_protein",
                "Urine M-protein (spot)",
                "mg/L",
                units(**{"mg/L": "1", "g/L": "1000", "mg/dL": "10"}),
                0,
                30000,
                decimal_places=0,
                specimen="urine_spot",
            ),
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "ife",
        "Immunofixation",
        {
            specimen: AnalyteSpec(
                code="ife",
                label=f"Immunofixation ({label.lower()})",
                canonical_unit="",
                units={},
                categorical=True,
                specimen=specimen,
                # LOINC 14895-7: immunofixation of serum, as chosen when the catalogue was written; not re-verified. Source: LOINC (Regenstrief Institute), https://loinc.org/14895-7/
                loinc="14895-7" if specimen == "serum" else "",
            )
            for specimen, label in (("serum", "Serum"), ("urine_24h", "Urine, 24 h"), ("urine_spot", "Urine, spot"))
        },
        default_specimen="serum",
        specimen_required=True,
        panel_group="vegf",
    ),
    Analyte(
        "flc_kappa",
        "Free light chain kappa",
        {
            "serum": spec(
                "flc_kappa",
                "Free kappa",
                "mg/L",
                units(**{"mg/L": "1", "mg/dL": "10"}),
                0,
                50000,
                decimal_places=1,
                # LOINC 104544-2: free kappa light chains in serum, as chosen when the catalogue was written; not re-verified. Source: LOINC (Regenstrief Institute), https://loinc.org/104544-2/
                loinc="104544-2",
                specimen="serum",
                reference=ref("3.3", "19.4"),
            ),
            **urine_light_chain("flc_kappa", "Free kappa"),
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
    Analyte(
        "flc_lambda",
        "Free light chain lambda",
        {
            "serum": spec(
                "flc_lambda",
                "Free lambda",
                "mg/L",
                units(**{"mg/L": "1", "mg/dL": "10"}),
                0,
                50000,
                decimal_places=1,
                # LOINC 33944-0: Lambda light chains.free [Mass/volume] in Serum. Source: LOINC (Regenstrief Institute), https://loinc.org/33944-0/
                loinc="33944-0",
                specimen="serum",
                reference=ref("5.7", "26.3"),
            ),
            **urine_light_chain("flc_lambda", "Free lambda"),
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
    Analyte(
        "flc_ratio",
        "Kappa/lambda ratio",
        {
            "serum": spec(
                "flc_ratio",
                "Kappa/lambda ratio",
                "ratio",
                units(ratio="1"),
                "0.001",
                1000,
                decimal_places=3,
                # LOINC 104546-7: free kappa/lambda ratio in serum, as chosen when the catalogue was written; not re-verified. Source: LOINC (Regenstrief Institute), https://loinc.org/104546-7/
                loinc="104546-7",
                specimen="serum",
                reference=ref("0.26", "1.65"),
            )
        },
        default_specimen="serum",
        panel_group="vegf",
    ),
)
