"""Settings, driven by the environment so one code base serves every deployment tier.

Tier 1 (embedded): nothing set -> SQLite in WAL mode under DANVAN_DATA_DIR, local-memory
cache, Celery tasks run eagerly in-process.
Tier 2/3: DATABASE_URL (PostgreSQL), REDIS_URL (cache + Celery broker), DANVAN_SECRET_KEY,
DANVAN_ALLOWED_HOSTS, DANVAN_DEBUG=0.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout root when running from a source tree; data lives beside it by default.
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("DANVAN_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DANVAN_DEBUG", False)
# An embedded install generates and keeps its own key; production must set one.
_secret_file = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("DANVAN_SECRET_KEY") or (
    _secret_file.read_text().strip() if _secret_file.exists() else "danvan-insecure-embedded-key-set-DANVAN_SECRET_KEY"
)
ALLOWED_HOSTS = [h for h in os.environ.get("DANVAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DANVAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "danvan.core",
    "danvan.units",
    "danvan.accounts",
    "danvan.audit",
    "danvan.web",
    "danvan.api",
    "danvan.demo",
    "danvan.cases",
    "danvan.attachments",
    "danvan.open311",
    "danvan.notifications",
    "danvan.democracy.disclosures",
    "danvan.democracy.consultations",
    "danvan.democracy.decisions",
    "danvan.practices",
    "danvan.democracy.oversight",
    "danvan.imports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.config.urls"
WSGI_APPLICATION = "danvan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
# The embedded database's connection options (also read by tests/core/test_sqlite.py).
SQLITE_OPTIONS = {
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue instead of failing mid-way. synchronous=FULL
    # syncs the log at every commit: with NORMAL a power cut (frequent where a commune
    # runs its own machine) could undo a case whose code the citizen already holds.
    # It costs ~0.2 ms per commit here (docs/performance.md, issue 3).
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    # The embedded tier needs no set-up: the data folder is made on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "danvan.core.sqlite",
            "NAME": os.environ.get("DANVAN_SQLITE_PATH", str(DATA_DIR / "danvan.sqlite3")),
            # Django's SQLite backend, with the writers of one process waiting on a Python lock
            # instead of SQLite's sleeping busy handler (danvan/core/sqlite/base.py).
            "OPTIONS": SQLITE_OPTIONS,
            # Keep each server thread's connection: a new SQLite connection re-reads the schema
            # and starts with a cold page cache, several milliseconds on every request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # ":memory:" spelt out: pytest-django recognises an in-memory default only under
            # Django's own ENGINE name, and would otherwise give each xdist worker a file name.
            "TEST": {"NAME": os.environ.get("DANVAN_SQLITE_TEST_PATH") or ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- cache, background work -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "danvan"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Periodic jobs (Celery beat in tiers 2–3; `danvan serve` runs the same jobs on a timer in tier 1).
# Each is idempotent: running it twice sends nothing new.
CELERY_BEAT_SCHEDULE = {
    "cases-remind": {"task": "danvan.cases.tasks.remind_due_cases", "schedule": crontab(hour=7, minute=0)},
    "cases-escalate": {"task": "danvan.cases.tasks.escalate_overdue_cases", "schedule": crontab(minute=15)},
    "notifications-retry": {"task": "danvan.notifications.tasks.retry_due_notifications", "schedule": 300.0},
    "disclosures-notify-scheduled": {"task": "danvan.democracy.disclosures.tasks.notify_scheduled_items",
                                     "schedule": crontab(hour=6, minute=30)},
    "consultations-notify-open": {"task": "danvan.democracy.consultations.tasks.notify_open_periods",
                                  "schedule": crontab(minute=20)},
    "cases-cleanup-uploads": {"task": "danvan.cases.tasks.cleanup_pending_uploads", "schedule": crontab(minute=40)},
}

# --- notifications --------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("DANVAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DANVAN_FROM_EMAIL", "khong-tra-loi@danvan.local")
# The public address of the site, for links in e-mails and SMS sent by background jobs (which
# have no request to read the host from). The embedded tier serves on 127.0.0.1:DANVAN_PORT.
DANVAN_SITE_URL = os.environ.get("DANVAN_SITE_URL", f"http://127.0.0.1:{os.environ.get('DANVAN_PORT', '8000')}")
DANVAN_SMS_BACKEND = os.environ.get("DANVAN_SMS_BACKEND", "danvan.notifications.backends.FileSmsBackend")
DANVAN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("DANVAN_NOTIFY_MAX_ATTEMPTS", "5"))
DANVAN_NOTIFY_BACKOFF_SECONDS = int(os.environ.get("DANVAN_NOTIFY_BACKOFF_SECONDS", "60"))
DANVAN_CASE_REMIND_WORKING_DAYS = int(os.environ.get("DANVAN_CASE_REMIND_WORKING_DAYS", "2"))

# --- auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:workspace"
LOGOUT_REDIRECT_URL = "web:home"
# Lockout after repeated failures (django-axes): per username and IP pair, so one attacker
# cannot lock every official out by spraying names from one address.
AXES_FAILURE_LIMIT = int(os.environ.get("DANVAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DANVAN_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "danvan.accounts.views.lockout_response"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "danvan"
# National OpenID Connect login (VNeID / a provincial SSO): see docs/oidc.md.
DANVAN_OIDC_PROVIDER = os.environ.get("DANVAN_OIDC_PROVIDER", "")

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Source strings are Vietnamese (msgids in Vietnamese); other languages would come from locale/.
LANGUAGES = [("vi", _("Tiếng Việt"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- static, media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# whitenoise warns on every start when the folder is missing (before the first collectstatic).
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries come from the npm registry at setup time (package.json), never committed.
NODE_MODULES_DIR = Path(os.environ.get("DANVAN_NODE_MODULES", BASE_DIR / "node_modules"))
STATICFILES_DIRS = [("vendor", NODE_MODULES_DIR)] if NODE_MODULES_DIR.exists() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DANVAN_HTTPS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANVAN_LOG_LEVEL", "WARNING")},
}

DANVAN_DEMO_PROVINCE = os.environ.get("DANVAN_DEMO_PROVINCE", "01")
# How long after an answer a citizen may reopen feedback or a petition (days).
DANVAN_CASE_REOPEN_DAYS = int(os.environ.get("DANVAN_CASE_REOPEN_DAYS", "30"))
# Fernet key(s), comma-separated (newest first), sealing denouncers' identities at rest.
# Production must set it and keep it apart from the database and DANVAN_SECRET_KEY.
DANVAN_IDENTITY_KEY = os.environ.get("DANVAN_IDENTITY_KEY", "")
