"""What the accounts capability costs per request, in queries (README, "Accounts and security")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.conftest import enrolled_device, totp_code
from tests.factories import PASSWORD, PatientFactory


def _queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_verified_session_costs_at_most_one_query_more_than_no_second_factor(client, settings, staff_user):
    client.post("/accounts/login/", {"username": "nurse", "password": PASSWORD})
    _queries(client, "/worklist/")
    without = len(_queries(client, "/worklist/"))
    settings.POEMS_REQUIRE_2FA = True
    device = enrolled_device(staff_user)
    client.post("/accounts/two-factor/", {"code": totp_code(device)})
    _queries(client, "/worklist/")
    assert len(_queries(client, "/worklist/")) <= without + 1


def test_a_search_of_fifty_hits_writes_the_audit_in_one_insert(staff_client, clinic):
    PatientFactory.create_batch(50, clinic=clinic)
    sql = _queries(staff_client, "/patients/?q=")
    inserts = [q for q in sql if q.startswith("INSERT") and "patientread" in q]
    assert len(inserts) == 1
