"""The read path: querysets with their joins done, and the loaders of rule inputs.

One module per capability; this package re-exports the functions other layers call, so
`from tracker.selectors import patient_record` keeps working. Each function states its
query cost; tests pin them with django_assert_num_queries.
"""

from tracker.selectors.patients import patient_by_mrn, patient_record, patient_search, patients_with_active_red_flag
from tracker.selectors.points import (
    imaging_point,
    lab_point,
    ncs_point,
    symptom_point,
    treatment_point,
    visit_point,
)
from tracker.selectors.rule_data import patient_rule_data, patients_rule_data, patients_vegf_data

__all__ = [
    "imaging_point",
    "lab_point",
    "ncs_point",
    "patient_by_mrn",
    "patient_record",
    "patient_rule_data",
    "patient_search",
    "patients_rule_data",
    "patients_vegf_data",
    "patients_with_active_red_flag",
    "symptom_point",
    "treatment_point",
    "visit_point",
]
