"""The columns and items of the rest of the follow-up record in the research export: the
examination at a visit and the bone marrow biopsy as observations, and one file per record
type (`marrow.csv`, `events.csv`, `lesions.csv`).

Like `columns`, one description feeds the CSV headers, `dictionary.csv` and the Frictionless
schema. A new record type adds its column tuple here and its table in `record_tables`.
"""

from __future__ import annotations

from tracker.interop.columns import DAYS, PATIENT_ID, Column, Item, codes_of
from tracker.models.events import EventKind
from tracker.models.imaging import Modality
from tracker.models.lesions import Appearance, LesionStatus
from tracker.models.marrow import Clonality
from tracker.models.visits import ExamFinding

FREE_TEXT = "Free text; left blank in a pseudonymised export"

# Examination at a visit, as observations of the visit (domain "visit"): the score as a number,
# the graded findings as a coded value, the present/absent findings as 1 or 0 (blank: not examined).
EXAM_SCORES = (("mrc_sum", "MRC sum score (12 muscles)", "{score}", 0, 60),)
EXAM_GRADED = (
    ("vibration_sense", "Vibration sense at the great toes"),
    ("reflexes", "Tendon reflexes"),
)
EXAM_PRESENT = (
    ("oedema", "Oedema on examination"),
    ("skin_changes", "Skin changes on examination"),
    ("organomegaly", "Organomegaly on examination"),
    ("papilloedema", "Papilloedema on examination"),
)
EXAM_FIELDS = tuple(row[0] for row in (*EXAM_SCORES, *EXAM_GRADED, *EXAM_PRESENT))
EXAM_FINDINGS = codes_of(ExamFinding)


def exam_items() -> list[Item]:
    """The examination items, in the order of the visit form."""
    items = [Item("visit", code, label, unit, low, high) for code, label, unit, low, high in EXAM_SCORES]
    items += [Item("visit", code, label, codes=EXAM_FINDINGS) for code, label in EXAM_GRADED]
    items += [Item("visit", code, f"{label} (1 yes, 0 no)", "{boolean}", 0, 1) for code, label in EXAM_PRESENT]
    return items


# The bone marrow biopsy's measures, as observations (domain "marrow"); the biopsy itself, with
# its method and result text, is a row of marrow.csv.
MARROW_PLASMA_CELLS = Item("marrow", "marrow_plasma_cells_pct", "Bone marrow plasma cells", "%", 0, 100)
MARROW_CLONALITY = Item("marrow", "marrow_clonality", "Bone marrow plasma-cell clonality", codes=codes_of(Clonality))
MARROW_ITEMS = (MARROW_PLASMA_CELLS, MARROW_CLONALITY)


def event_days() -> Column:
    return Column(
        DAYS.name, DAYS.type, DAYS.label, unit=DAYS.unit, description=DAYS.description.replace("the date", "onset")
    )


MARROW = (
    PATIENT_ID,
    Column("biopsy_date", "date", "Biopsy date", required=True),
    Column("plasma_cells_pct", "number", "Plasma cells", unit="%", min=0, max=100,
           description="Percentage of nucleated marrow cells"),
    Column("clonality", "string", "Plasma-cell clonality", codes=codes_of(Clonality)),
    Column("method", "string", "Method", description=FREE_TEXT),
    Column("result", "string", "Result text", description=FREE_TEXT),
    DAYS,
)  # fmt: skip

EVENTS = (
    PATIENT_ID,
    Column("event", "string", "Event", codes=codes_of(EventKind), required=True,
           description="relapse and progression are clinician-confirmed; death's onset_date is the date of death"),
    Column("onset_date", "date", "Onset", required=True),
    Column("grade", "integer", "CTCAE grade", min=1, max=5, description="CTCAE v5, 1 (mild) to 5 (death)"),
    Column("resolved_on", "date", "Resolved on"),
    Column("ctcae_term", "string", "CTCAE term", description=FREE_TEXT),
    Column("treatment_related", "boolean", "Related to a treatment", description="Blank: not assessed"),
    Column("cause", "string", "Cause", description=f"For a death, the cause. {FREE_TEXT}"),
    Column("notes", "string", "Notes", description=FREE_TEXT),
    event_days(),
)  # fmt: skip

LESIONS = (
    PATIENT_ID,
    Column("study_date", "date", "Study date", required=True),
    Column("modality", "string", "Modality", codes=codes_of(Modality), required=True),
    Column("lesion", "integer", "Lesion number", min=1, required=True,
           description="Numbers the patient's lesion sites in order of first appearance (study date, then site); "
           "the same site keeps its number in every study"),
    Column("site", "string", "Site", description=FREE_TEXT),
    Column("appearance", "string", "Appearance", codes=codes_of(Appearance)),
    Column("size_mm", "number", "Size (largest diameter)", unit="mm", min=0, max=500),
    Column("suv_max", "number", "SUVmax", unit="{SUV}", min=0, max=100, description="Standardised uptake value"),
    Column("status", "string", "Lesion status", codes=codes_of(LesionStatus)),
    DAYS,
)  # fmt: skip
