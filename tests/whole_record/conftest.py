"""The whole-record tests use the import and service fixtures of their neighbours."""

from tests.importers.conftest import csv_file, registered, run_import  # noqa: F401
from tests.services.conftest import record_counts  # noqa: F401
