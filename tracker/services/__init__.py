"""The only write path. Every function validates, saves, records who and when, and
re-evaluates the patient's flags, all in one transaction."""
