"""Settings for POEMS Tracker, read from the environment (README, "Configuration").

SQLite in the project folder by default; PostgreSQL through DATABASE_URL. With debug off the
server refuses to start without DJANGO_SECRET_KEY, and secure cookies, HSTS and the HTTPS
redirect are on (each switchable for a deployment behind a TLS-terminating proxy).
"""

import json
import os
from pathlib import Path

import dj_database_url
import plotly
import xstatic.pkg.bootstrap as xstatic_bootstrap
from django.core.exceptions import ImproperlyConfigured

from poems_site.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks_db",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.accounts.middleware.SecondFactorMiddleware",
    "tracker.accounts.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.PatientIdleTimeoutMiddleware",
    "tracker.accounts.middleware.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "poems_site.urls"
WSGI_APPLICATION = "poems_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.role",
                "tracker.accounts.context_processors.manager",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Simultaneous submits wait for each other instead of failing with "database is locked":
    # WAL lets readers run beside the one writer, every transaction takes the write lock when
    # it begins (IMMEDIATE, so two cannot both read and then both fail to write), and a writer
    # waits up to POEMS_SQLITE_BUSY_SECONDS (default 20) for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("POEMS_SQLITE_BUSY_SECONDS", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account after repeated failures from anywhere, and an address after
# repeated failures at any accounts (tracker.accounts.lockout). Axes also keeps the sign-in
# audit: AccessLog (sign-ins and sign-outs) and AccessFailureLog (failed sign-ins).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
POEMS_ADDRESS_FAILURE_LIMIT = env_int("POEMS_ADDRESS_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "tracker.accounts.lockout.AccountAndAddressHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
# The order the clinic writes a date in, day-month ("DMY", as en-gb) or month-day ("MDY"):
# read by the patient search (17/05/1970) and the date boxes of the forms. ISO (1970-05-17)
# is always understood as well.
POEMS_DATE_ORDER = os.environ.get("POEMS_DATE_ORDER", "DMY").upper()
if POEMS_DATE_ORDER not in ("DMY", "MDY"):
    raise ImproperlyConfigured(f"POEMS_DATE_ORDER must be DMY or MDY, not {POEMS_DATE_ORDER!r}.")
# Date boxes: the browser's date picker ("picker"; its order follows the browser's language),
# or typed text in POEMS_DATE_ORDER ("typed"), for a clinic whose browsers show another order.
POEMS_DATE_INPUT = os.environ.get("POEMS_DATE_INPUT", "picker").lower()
if POEMS_DATE_INPUT not in ("picker", "typed"):
    raise ImproperlyConfigured(f"POEMS_DATE_INPUT must be picker or typed, not {POEMS_DATE_INPUT!r}.")
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Password-reset and invitation links must never end up in a server log: the console backend
# is the default only with debug on, and with debug off it stops the server unless
# POEMS_ALLOW_CONSOLE_EMAIL=true says so on purpose.
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", CONSOLE_EMAIL_BACKEND if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
POEMS_ALLOW_CONSOLE_EMAIL = env_bool("POEMS_ALLOW_CONSOLE_EMAIL", False)
if EMAIL_BACKEND == CONSOLE_EMAIL_BACKEND and not DEBUG and not POEMS_ALLOW_CONSOLE_EMAIL:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_BACKEND is the console backend with DJANGO_DEBUG=false: reset and invitation links "
        "would go to the server log. Configure SMTP (EMAIL_HOST, ...) or set POEMS_ALLOW_CONSOLE_EMAIL=true."
    )
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "poems-tracker@localhost")

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True

# With debug off these are on unless a deployment switches one off (README, "Configuration").
_secure = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _secure)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", _secure)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", _secure)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", _secure)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", _secure)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Patient portal: a patient is signed out after this many idle seconds; reminder emails
# (sent by `send_reminders` outside any request) link to this address.
POEMS_PATIENT_IDLE_SECONDS = env_int("POEMS_PATIENT_IDLE_SECONDS", 30 * 60)
# A patient sees an abnormal lab result (outside its range, or a positive immunofixation) on
# the portal only after a clinician has reviewed it, unless this is true; until then the portal
# says the result is awaiting review.
POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL = env_bool("POEMS_PATIENT_SEES_UNREVIEWED_ABNORMAL", False)
POEMS_SITE_URL = os.environ.get("POEMS_SITE_URL", "http://localhost:8000")

# Accounts and security (README, "Accounts and security"; INTERFACES.md section 4).
# Staff and consultants must pass a second factor before any page with patient data.
POEMS_REQUIRE_2FA = env_bool("POEMS_REQUIRE_2FA", not DEBUG)
POEMS_STAFF_IDLE_MINUTES = env_int("POEMS_STAFF_IDLE_MINUTES", 30)
POEMS_RESET_PER_ADDRESS_HOURLY = env_int("POEMS_RESET_PER_ADDRESS_HOURLY", 10)
POEMS_RESET_PER_ACCOUNT_HOURLY = env_int("POEMS_RESET_PER_ACCOUNT_HOURLY", 3)
OTP_TOTP_ISSUER = "POEMS Tracker"
# Scripts only from this server (no inline script, no eval); styles allow inline attributes,
# which the pages and plotly.js set. Nothing is loaded from anywhere else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Largest CSV a clinic may upload, in bytes.
IMPORT_MAX_BYTES = env_int("POEMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# `manage.py import_csv` streams files of any size unless this is set (bytes).
IMPORT_COMMAND_MAX_BYTES = env_int("POEMS_IMPORT_COMMAND_MAX_BYTES", 0) or None

# Research export: the installation's secret for pseudonyms and date offsets (HMAC key).
# Required for --pseudonymise when debug is off; keep it with the installation's backups.
POEMS_PSEUDONYM_KEY = os.environ.get("POEMS_PSEUDONYM_KEY", "")

# Rule thresholds (POEMS-DOMAIN.md section 6.3). Keys override the defaults of
# tracker.rules.params.RuleParams for this deployment, given as JSON in the environment, e.g.
# POEMS_RULE_OVERRIDES='{"CFG_VEGF_ULN_SERUM": "1040"}'. A bad key stops the server (check).
try:
    POEMS_RULE_OVERRIDES: dict[str, str] = json.loads(os.environ.get("POEMS_RULE_OVERRIDES", "") or "{}")
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"POEMS_RULE_OVERRIDES must be a JSON object: {exc}") from None

# Engineering validation bounds per analyte, overriding tracker.catalogue, e.g.
# {"vegf/serum": ("0", "60000")}.
POEMS_ANALYTE_BOUNDS_OVERRIDES: dict[str, tuple[str, str]] = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Follow-up schedule intervals (months), keyed like CFG_SCHED_NCS_INTERVAL_M; the spec's
# defaults otherwise. POEMS_SCHEDULE_OVERRIDES='{"CFG_SCHED_NCS_INTERVAL_M": 6}'.
try:
    POEMS_SCHEDULE_OVERRIDES: dict[str, int] = json.loads(os.environ.get("POEMS_SCHEDULE_OVERRIDES", "") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"POEMS_SCHEDULE_OVERRIDES must be a JSON object: {exc}") from None

# Background work (Django's Tasks API through the django-tasks backport). The default backend
# keeps the queue in this database (no extra server); `manage.py worker` runs it together with
# the daily jobs of tracker.scheduler. POEMS_TASKS_BACKEND=rq moves the queue to Redis
# (REDIS_URL) for more than one machine; `immediate` runs every task inside the caller.
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
_TASK_BACKEND = os.environ.get("POEMS_TASKS_BACKEND", "database")
if _TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"POEMS_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_TASK_BACKEND!r}."
    )
TASKS = {"default": _TASK_BACKENDS[_TASK_BACKEND]}
# Progress of queued work (rows saved by an import), shared by the web servers and the worker:
# files on this machine by default, Redis when the queue is on Redis.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("POEMS_PROGRESS_DIR", str(BASE_DIR / "var" / "progress")),
    },
}
if _TASK_BACKEND == "rq":
    CACHES["progress"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 3600}}
