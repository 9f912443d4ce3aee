"""Settings for Sciatica Clinic: one file, every knob read from the environment.

Production is the default: DEBUG off, a SECRET_KEY required, secure cookies, HTTPS
redirect and HSTS. `DEBUG=true` (what `make run` sets) switches on development defaults.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=true for development)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# The clinic's name until the manager saves the clinic profile (accounts/clinic.py), which
# each worker re-reads at most every CLINIC_PROFILE_CACHE_SECONDS.
CLINIC_NAME = os.environ.get("CLINIC_NAME", "Sciatica Clinic")
CLINIC_PROFILE_CACHE_SECONDS = envint("CLINIC_PROFILE_CACHE_SECONDS", 30)
# The Patient-Specific Functional Scale is taken at intake and again every this many visits
# (clinical rules §9.5).
PSFS_EVERY_VISITS = envint("PSFS_EVERY_VISITS", 4)
# Days after which an unsigned note is flagged on the therapist's dashboard.
UNSIGNED_NOTE_DAYS = envint("UNSIGNED_NOTE_DAYS", 2)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "intake",
    "protocols",
    "sessions.apps.SessionsConfig",
    "billing",
    "sciatica_clinic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionLimitsMiddleware",
    "core.middleware.AuditTrailMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.FormResubmissionMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "core.no_store.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sciatica_clinic.urls"
WSGI_APPLICATION = "sciatica_clinic.wsgi.application"

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
                "core.context_processors.clinic",
                "accounts.context_processors.clinic_profile",
            ],
        },
    },
]

SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"

# SQLite in the project folder unless DATABASE_URL names PostgreSQL (production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # docs/engineering-notes.md "Database connections": each gunicorn worker keeps one
    # connection open (DB_CONN_MAX_AGE seconds) and checks it before reuse after a request
    # that failed or when it has sat idle. With many app servers, point DATABASE_URL at
    # PgBouncer (transaction pooling) and set DB_PGBOUNCER=true. DB_POOL_MAX_SIZE=N gives
    # each worker psycopg's pool instead (measured: no gain with sync workers).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if envint("DB_POOL_MAX_SIZE", 0):
        # Django refuses persistent connections beside a pool: the pool keeps them.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": envint("DB_POOL_MAX_SIZE", 0),
            "timeout": 10,
        }
    # Transaction pooling hands each transaction any server connection: a server-side
    # cursor (QuerySet.iterator()) would not outlive its transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DB_PGBOUNCER", False)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # docs/engineering-notes.md "SQLite settings". IMMEDIATE takes the write lock at
            # BEGIN: concurrent writers wait (up to `timeout` seconds, the busy timeout)
            # instead of failing with "database is locked", and overlap checks see committed
            # rows. WAL lets pages read while a write is in progress; synchronous=NORMAL is
            # safe with WAL (a power cut can lose the last commits, never corrupt the file).
            # Write transactions stay short: services write, and render after the commit.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": SQLITE_INIT_COMMAND,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Email (README "Configuration"): SMTP when EMAIL_HOST is set, printed on the console in
# development. STARTTLS by default on port 587; EMAIL_USE_SSL=true for implicit TLS (465).
# A short timeout: a mail server that does not answer must not hold a page for minutes.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("Set EMAIL_USE_SSL or EMAIL_USE_TLS, not both.")
EMAIL_PORT = envint("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT_SECONDS", 10)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a password-reset or new-account link works (hours); it works once in any case.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_LINK_HOURS", 72) * 3600
# Password-reset requests (accounts/reset_limits.py): at most this many per address and per
# network address in the window; every answer takes at least PASSWORD_RESET_ANSWER_MS, so a
# known address (a message sent) answers no slower than an unknown one. Keep it above the
# mail server's usual send time.
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_IP = envint("PASSWORD_RESET_PER_IP", 20)
PASSWORD_RESET_WINDOW_MINUTES = envint("PASSWORD_RESET_WINDOW_MINUTES", 60)
PASSWORD_RESET_ANSWER_MS = envint("PASSWORD_RESET_ANSWER_MS", 2000)
# The client intake link (issue 20): how many days it works (once in any case), and how many
# tries at intake links one address may make in INTAKE_LINK_WINDOW_MINUTES before it is refused
# (counted in the database: every app server sees the same count).
INTAKE_LINK_DAYS = envint("INTAKE_LINK_DAYS", 7)
INTAKE_LINK_TRIES = envint("INTAKE_LINK_TRIES", 30)
INTAKE_LINK_WINDOW_MINUTES = envint("INTAKE_LINK_WINDOW_MINUTES", 15)

# Login throttling: lock the username (not the clinic's shared IP) after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A clinic's staff share one public IP: locking by IP would lock everyone out at once.
# HSTS preload (W021) only concerns public domains submitted to browsers' lists; a clinic's
# LAN host name is not one, and preloading cannot be undone quickly. Opt in with the env var.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

# Sessions: 30 minutes idle, and at most SESSION_ABSOLUTE_HOURS after login.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
# Saved again at most once a minute rather than at every request (middleware.SessionLimitsMiddleware):
# a page view then costs no session write and no commit.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS: on by default; a load balancer that terminates TLS sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: everything comes from the app's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("CLINIC_TIME_ZONE", "Europe/London")
# The working day, clinic wall-clock time: the free times the booking form offers and the
# rows the calendar's time grid always shows (visits outside it are shown too).
CLINIC_DAY_STARTS = os.environ.get("CLINIC_DAY_STARTS", "08:00")
CLINIC_DAY_ENDS = os.environ.get("CLINIC_DAY_ENDS", "19:00")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # The accessibility checker the browser suite injects into every page (tests/e2e/axe.py):
    # served by the app itself like Bootstrap, since the pages' CSP allows only 'self' scripts.
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    },
}
