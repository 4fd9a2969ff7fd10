"""Configuration from the environment (INTERFACES.md section 4): a typo in a security switch
stops the server instead of falling back to a default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from poems_site.env import env_bool, env_int, env_list

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["true", "TRUE", " true "])
def test_env_bool_reads_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("POEMS_TEST_FLAG", raw)
    assert env_bool("POEMS_TEST_FLAG", False) is True


@pytest.mark.parametrize("raw", ["false", "False", " FALSE "])
def test_env_bool_reads_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("POEMS_TEST_FLAG", raw)
    assert env_bool("POEMS_TEST_FLAG", True) is False


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_bool_unset_or_blank_gives_the_default(monkeypatch, raw):
    monkeypatch.delenv("POEMS_TEST_FLAG", raising=False)
    if raw is not None:
        monkeypatch.setenv("POEMS_TEST_FLAG", raw)
    assert env_bool("POEMS_TEST_FLAG", True) is True


# INTERFACES.md section 4: `true`/`false`, anything else is an error (no 1/0/yes/no/on/off).
@pytest.mark.parametrize("raw", ["maybe", "yes-please", "ture", "2", "1", "0", "yes", "no", "on", "off"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("POEMS_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=f"POEMS_TEST_FLAG must be 'true' or 'false', not '{raw}'"):
        env_bool("POEMS_TEST_FLAG", False)


def test_env_int_refuses_a_word(monkeypatch):
    monkeypatch.setenv("POEMS_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="POEMS_TEST_NUMBER must be a whole number, not 'ten'"):
        env_int("POEMS_TEST_NUMBER", 5)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("POEMS_TEST_HOSTS", " a.example , ,b.example,")
    assert env_list("POEMS_TEST_HOSTS", []) == ["a.example", "b.example"]


def import_settings(**env) -> subprocess.CompletedProcess:
    """Import poems_site.settings in a fresh interpreter with only `env` among DJANGO_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import poems_site.settings as s; print('DEBUG', s.DEBUG)"],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_load_with_debug_off_and_no_secret_key():
    result = import_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is false." in result.stderr


def test_debug_defaults_to_off_so_a_missing_secret_key_is_refused():
    result = import_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_settings_refuse_a_debug_switch_that_is_neither_true_nor_false():
    result = import_settings(DJANGO_DEBUG="yes-please", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 'true' or 'false', not 'yes-please'." in result.stderr


def test_settings_load_with_debug_off_and_a_secret_key():
    result = import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50)
    assert (result.returncode, result.stdout.strip()) == (0, "DEBUG False")


def test_settings_load_with_debug_on_and_no_secret_key_for_development():
    result = import_settings(DJANGO_DEBUG="true")
    assert (result.returncode, result.stdout.strip()) == (0, "DEBUG True")


def test_secure_cookies_and_https_are_on_when_debug_is_off():
    code = (
        "import poems_site.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**clean, "DJANGO_SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True True True True")


def test_an_unknown_date_order_stops_the_server_naming_the_setting():
    result = import_settings(DJANGO_DEBUG="true", POEMS_DATE_ORDER="YMD")
    assert result.returncode != 0
    assert "POEMS_DATE_ORDER must be DMY or MDY, not 'YMD'." in result.stderr
    assert import_settings(DJANGO_DEBUG="true", POEMS_DATE_ORDER="mdy").returncode == 0


def test_an_unknown_date_input_stops_the_server_naming_the_setting():
    result = import_settings(DJANGO_DEBUG="true", POEMS_DATE_INPUT="calendar")
    assert result.returncode != 0
    assert "POEMS_DATE_INPUT must be picker or typed, not 'calendar'." in result.stderr
