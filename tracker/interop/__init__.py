"""Interoperability: the research export (CSV + Frictionless data package), pseudonymisation,
and FHIR R4 out and in.

The mappers here are pure: they take plain values read by `tracker.interop.selectors` and
return rows or FHIR resources; they never query. Writes (FHIR import) go through the CSV
import engine, so a value arriving as FHIR meets exactly the checks of a CSV row.
"""
