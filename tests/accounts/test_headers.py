"""Security headers: a strict Content-Security-Policy on every page (no inline or eval'd
script), and `Cache-Control: no-store` on every page a signed-in user sees."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password-reset/"])
def test_public_pages_carry_a_strict_policy(client, db, path):
    directives = _directives(client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_no_template_holds_an_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{template.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{template.name}: event handler attribute")
    assert offenders == []


PATIENT_PAGES = ["patient_detail", "patient_summary", "patient_edit", "checklist_edit"]


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_pages_with_patient_data_are_never_stored(consultant_client, records, name):
    response = consultant_client.get(reverse(name, args=[records["patient"].pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/worklist/", "/patients/?q=Ada", "/cohort/"])
def test_lists_of_patients_are_never_stored(consultant_client, records, path):
    response = consultant_client.get(path)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_the_flag_and_history_pages_are_never_stored(consultant_client, records):
    for path in (
        reverse("flag_detail", args=[records["flag"].pk]),
        reverse("record_history", kwargs={"kind": "lab", "record_pk": records["lab"].pk}),
    ):
        assert "no-store" in consultant_client.get(path)["Cache-Control"]


def test_the_patient_portal_is_never_stored(client, patient_user):
    client.force_login(patient_user)
    response = client.get("/me/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
