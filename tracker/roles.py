"""The three roles, as Django groups."""

STAFF = "staff"
CONSULTANT = "consultant"
PATIENT = "patient"
ROLES = (STAFF, CONSULTANT, PATIENT)
CLINICAL_ROLES = (STAFF, CONSULTANT)
