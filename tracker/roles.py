"""The three roles, as Django groups."""

STAFF = "staff"
CONSULTANT = "consultant"
PATIENT = "patient"
ROLES = (STAFF, CONSULTANT, PATIENT)
CLINICAL_ROLES = (STAFF, CONSULTANT)

# "May export": the research export and its download (never patients).
MAY_EXPORT = (CONSULTANT,)
