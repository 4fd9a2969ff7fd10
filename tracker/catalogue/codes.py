"""Code lists shared by the catalogue, the models and the CSV import."""

SPECIMENS = (
    ("serum", "Serum"),
    ("plasma", "Plasma (EDTA)"),
    ("whole_blood", "Whole blood"),
    ("urine_24h", "Urine, 24 hour"),
    ("urine_spot", "Urine, spot"),
    ("csf", "Cerebrospinal fluid"),
)
SPECIMEN_CODES = tuple(code for code, _ in SPECIMENS)

COMPARATORS = ("=", "<", ">")

IFE_CATEGORIES = (
    ("negative", "Negative"),
    ("positive", "Positive"),
    ("equivocal", "Equivocal"),
    ("not_done", "Not done"),
)
IFE_CATEGORY_CODES = tuple(code for code, _ in IFE_CATEGORIES)

CONFOUNDERS = (
    ("acute_illness", "Acute illness"),
    ("iron_deficiency_anaemia", "Iron-deficiency anaemia"),
    ("copd", "COPD"),
    ("sleep_apnoea", "Obstructive sleep apnoea"),
    ("other_cancer", "Other cancer"),
    ("inflammatory_disease", "Chronic inflammatory disease"),
    ("bevacizumab", "Bevacizumab"),
    ("delayed_processing", "Delayed sample processing"),
    ("other", "Other"),
)
CONFOUNDER_CODES = tuple(code for code, _ in CONFOUNDERS)
