"""Analytes added for the whole follow-up record (issue 14): liver panel, immunoglobulins,
total protein (serum, 24-hour urine, spinal fluid), PTH, gonadotrophins, oestradiol,
NT-proBNP, CRP and the white-cell differential.

Bounds are engineering plausibility limits, never reference ranges. A default reference range
is given only where one is in standard use (UK protein reference unit ranges for the
immunoglobulins, the usual adult ranges for bilirubin, CRP, CSF protein and the differential);
for the others the report's own range is used, as POEMS-DOMAIN.md 2.2 says for chemistry.
LOINC codes are given where the published code matches the canonical unit; blank otherwise
(exports then use the project's own code system).
"""

from tracker.catalogue.spec import Analyte, ref, spec, units

ENZYME = units(**{"U/L": "1", "IU/L": "1", "ukat/L": "60"})
PER_L = units(**{"10^9/L": "1", "10^3/uL": "1"})
IG = units(**{"g/L": "1", "g/dL": "10", "mg/dL": "0.01"})
GONADOTROPHIN = units(**{"IU/L": "1", "mIU/mL": "1", "U/L": "1"})


def _single(code, label, specimen, unit, factors, low, high, *, panel_group="", **kw) -> Analyte:
    return Analyte(
        code,
        label,
        {specimen: spec(code, label, unit, factors, low, high, specimen=specimen, **kw)},
        default_specimen=specimen,
        panel_group=panel_group,
    )


RECORD: tuple[Analyte, ...] = (
    # LOINC 1742-6: Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/1742-6/
    _single("alt", "ALT", "serum", "U/L", ENZYME, 0, 10000, decimal_places=0, loinc="1742-6", panel_group="liver"),
    # LOINC 1920-8: Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/1920-8/
    _single("ast", "AST", "serum", "U/L", ENZYME, 0, 10000, decimal_places=0, loinc="1920-8", panel_group="liver"),
    # LOINC 6768-6: Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/6768-6/
    _single(
        "alp",
        "Alkaline phosphatase",
        "serum",
        "U/L",
        ENZYME,
        0,
        10000,
        decimal_places=0,
        loinc="6768-6",
        panel_group="liver",
    ),
    # LOINC 2324-2: Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/2324-2/
    _single("ggt", "GGT", "serum", "U/L", ENZYME, 0, 10000, decimal_places=0, loinc="2324-2", panel_group="liver"),
    # LOINC 14631-6: Bilirubin.total [Moles/volume] in Serum or Plasma (canonical umol/L). Source: LOINC, https://loinc.org/14631-6/
    _single(
        "bilirubin",
        "Bilirubin (total)",
        "serum",
        "umol/L",
        units(**{"umol/L": "1", "mg/dL": "17.1"}),
        0,
        1000,
        decimal_places=0,
        loinc="14631-6",
        reference=ref(None, 21),
        panel_group="liver",
    ),
    # LOINC 2465-3: IgG [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/2465-3/
    _single("igg", "IgG", "serum", "g/L", IG, 0, 150, decimal_places=1, loinc="2465-3", reference=ref("6.0", "16.0")),
    # LOINC 2458-8: IgA [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/2458-8/
    _single("iga", "IgA", "serum", "g/L", IG, 0, 100, decimal_places=2, loinc="2458-8", reference=ref("0.8", "4.0")),
    # LOINC 2472-9: IgM [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/2472-9/
    _single("igm", "IgM", "serum", "g/L", IG, 0, 100, decimal_places=2, loinc="2472-9", reference=ref("0.5", "2.0")),
    Analyte(
        "total_protein",
        "Total protein",
        {
            # LOINC 2885-2: Protein [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/2885-2/
            "serum": spec(
                "total_protein",
                "Serum total protein",
                "g/L",
                units(**{"g/L": "1", "g/dL": "10"}),
                20,
                150,
                decimal_places=0,
                loinc="2885-2",
                specimen="serum",
                reference=ref(60, 80),
            ),
            # 24-hour urine protein: LOINC left blank (not verified here).
            "urine_24h": spec(
                "total_protein",
                "Urine protein (24 h)",
                "mg/24h",
                units(**{"mg/24h": "1", "g/24h": "1000"}),
                0,
                50000,
                decimal_places=0,
                specimen="urine_24h",
            ),
            # CSF protein by lumbar puncture; LOINC left blank (not verified here).
            "csf": spec(
                "total_protein",
                "CSF protein",
                "g/L",
                units(**{"g/L": "1", "mg/dL": "0.01", "mg/L": "0.001"}),
                0,
                30,
                decimal_places=2,
                specimen="csf",
                reference=ref("0.15", "0.45"),
            ),
        },
        default_specimen="serum",
        specimen_required=True,
    ),
    # PTH: pmol/L canonical (pg/mL x 0.106); LOINC left blank (moles code not verified here).
    _single("pth", "PTH", "serum", "pmol/L", units(**{"pmol/L": "1", "pg/mL": "0.106", "ng/L": "0.106"}), 0, 500),
    # LOINC 10501-5: Lutropin [Units/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/10501-5/
    _single("lh", "LH", "serum", "IU/L", GONADOTROPHIN, 0, 500, decimal_places=1, loinc="10501-5"),
    # LOINC 15067-2: Follitropin [Units/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/15067-2/
    _single("fsh", "FSH", "serum", "IU/L", GONADOTROPHIN, 0, 500, decimal_places=1, loinc="15067-2"),
    # Oestradiol: pmol/L canonical (pg/mL x 3.671); LOINC left blank (moles code not verified here).
    _single(
        "oestradiol",
        "Oestradiol",
        "serum",
        "pmol/L",
        units(**{"pmol/L": "1", "pg/mL": "3.671"}),
        0,
        20000,
        decimal_places=0,
    ),
    # LOINC 33762-6: Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/33762-6/
    _single(
        "nt_probnp",
        "NT-proBNP",
        "serum",
        "pg/mL",
        units(**{"pg/mL": "1", "ng/L": "1", "pmol/L": "8.457"}),
        0,
        100000,
        decimal_places=0,
        loinc="33762-6",
    ),
    # LOINC 1988-5: C reactive protein [Mass/volume] in Serum or Plasma. Source: LOINC, https://loinc.org/1988-5/
    _single(
        "crp",
        "CRP",
        "serum",
        "mg/L",
        units(**{"mg/L": "1", "mg/dL": "10"}),
        0,
        1000,
        decimal_places=1,
        loinc="1988-5",
        reference=ref(None, 5),
    ),
    # LOINC 751-8: Neutrophils [#/volume] in Blood by Automated count. Source: LOINC, https://loinc.org/751-8/
    _single(
        "neutrophils",
        "Neutrophils",
        "whole_blood",
        "10^9/L",
        PER_L,
        0,
        100,
        decimal_places=1,
        loinc="751-8",
        reference=ref("2.0", "7.5"),
        panel_group="fbc",
    ),
    # LOINC 731-0: Lymphocytes [#/volume] in Blood by Automated count. Source: LOINC, https://loinc.org/731-0/
    _single(
        "lymphocytes",
        "Lymphocytes",
        "whole_blood",
        "10^9/L",
        PER_L,
        0,
        200,
        decimal_places=1,
        loinc="731-0",
        reference=ref("1.0", "4.0"),
        panel_group="fbc",
    ),
)
