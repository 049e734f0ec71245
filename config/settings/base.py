"""Settings shared by every environment; values come from the environment.

Defaults give an embedded setup that needs no server: SQLite in the project
folder, Celery's filesystem broker in ``var/celery`` and a local-memory cache.
Set ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``REDIS_URL`` to switch to
PostgreSQL and Redis (see ``.env.example``).
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "federation",
    "notifications",
    "alliances",
    "events",
    "funds",
    "caravan",
    "catalogue",
    "news",
    "streets",
    "volunteers",
    "festival",
    "dashboard",
    "portal",
]

MIDDLEWARE = [
    # First: serves a stored public page to a visitor with no session or messages cookie
    # before any other middleware runs, and stores pages with every header below applied.
    "core.pagecache.PageCacheFrontMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "federation.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.AdminWritesBumpPageCacheMiddleware",
    "portal.middleware.StaffMfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: serves stored public pages to anonymous visitors who carry a session cookie.
    "core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "federation.context_processors.portal",
                "core.context_processors.work_menu",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # writes go through atomic services
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing at once when web and worker overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "federation.User"

# --- Cache (rate limits live here) -----------------------------------------
# A hung Redis must never hang a request: every Redis client on a request path
# (cache, Celery publish) has short socket and connect timeouts, and a fallback.
REDIS_SOCKET_TIMEOUT = env.float("YILU_REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_CLIENT_TIMEOUTS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yilu",
            "OPTIONS": {
                **REDIS_CLIENT_TIMEOUTS,
                "retry_after": env.float("YILU_REDIS_RETRY_AFTER", default=30),
            },
        }
    }
else:
    # Per process; room for the cached public pages (core.pagecache) too.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Public pages are cached whole for anonymous visitors (core.pagecache) this many
# seconds; every write that changes one bumps its namespace, so it shows at once.
# 0 turns the page cache off.
YILU_PAGE_CACHE_SECONDS = env.int("YILU_PAGE_CACHE_SECONDS", default=300)
# The staff dashboard's panels are kept this many seconds at most, and dropped at once
# by the writes that change them (the same namespaces as the public pages); 0: built
# on every visit.
YILU_FRAGMENT_CACHE_SECONDS = env.int("YILU_FRAGMENT_CACHE_SECONDS", default=300)

# --- Auth: django-allauth --------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[益路] "
ACCOUNT_ADAPTER = "federation.adapters.AccountAdapter"
# Sign-up asks the person's name (姓名) before the e-mail and passwords.
ACCOUNT_FORMS = {"signup": "federation.account_forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    # 429 after 20 login posts a minute from one address; the form refuses a
    # sixth wrong password for one e-mail within five minutes.
    "login": "20/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
}
# Content-Security-Policy (core.middleware): enforce by default; report-only to try a change.
YILU_CSP_REPORT_ONLY = env.bool("YILU_CSP_REPORT_ONLY", default=False)

# Addresses of our own reverse proxies: X-Forwarded-For is read only from these
# (core.clientip); ALLAUTH_TRUSTED_PROXY_COUNT says how many of them are chained.
YILU_TRUSTED_PROXIES = env.list("YILU_TRUSTED_PROXIES", default=[])
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Yilu 益路"
# When true, staff must set up two-factor authentication before the back office.
YILU_STAFF_REQUIRE_MFA = env.bool("YILU_STAFF_REQUIRE_MFA", default=False)

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Private files (grant attachments): no URL maps here; views check the permission.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Set (e.g. "/_private/") when nginx serves private files from an `internal` location.
YILU_PRIVATE_MEDIA_ACCEL_PREFIX = env("YILU_PRIVATE_MEDIA_ACCEL_PREFIX", default="")


def _bootstrap_dir() -> str:
    # Bootstrap comes from the XStatic-Bootstrap package (pinned in
    # requirements.txt) and is served by whitenoise: no asset from another host.
    import xstatic.pkg.bootstrap as bootstrap

    return bootstrap.BASE_DIR


STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", _bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.files.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="益路 Yilu <noreply@yilu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    # The transport expects its folders; any process may publish first (web, seed).
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),  # default would be ./control
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Publishing after a commit gives up within about a second on a hung broker;
    # the outbox row is already saved and the beat dispatcher sends it later.
    CELERY_BROKER_TRANSPORT_OPTIONS = {**REDIS_CLIENT_TIMEOUTS}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task
# unless this is set: one new PostgreSQL connection per outbox message (11 messages/s
# in ``make bench``). Reused, the worker closes them itself every this many tasks, and
# ``config.celery_app`` applies CONN_MAX_AGE and the health check around each task.
CELERY_DB_REUSE_MAX = env.int("YILU_CELERY_DB_REUSE_MAX", default=1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# One home for every periodic task. Each app adds its entries here.
CELERY_BEAT_SCHEDULE: dict = {}

# Notifications (the outbox): the dispatcher sends what is due; nothing waits in
# the broker with a far ETA. Periods and timeouts in seconds.
NOTIFICATIONS_DISPATCH_SECONDS = env.float("YILU_NOTIFICATIONS_DISPATCH_SECONDS", default=120)
# Each dispatcher tick claims batches until nothing is due, within a time budget
# shorter than the period (a 20,000-row backlog leaves in one tick, not 100).
NOTIFICATIONS_DISPATCH_BATCH = env.int("YILU_NOTIFICATIONS_DISPATCH_BATCH", default=500)
NOTIFICATIONS_DISPATCH_BUDGET_SECONDS = env.float("YILU_NOTIFICATIONS_DISPATCH_BUDGET", default=90)
NOTIFICATIONS_PLAN_SECONDS = env.float("YILU_NOTIFICATIONS_PLAN_SECONDS", default=300)
NOTIFICATIONS_SWEEP_SECONDS = env.float("YILU_NOTIFICATIONS_SWEEP_SECONDS", default=300)
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = env.int("YILU_NOTIFICATIONS_SENDING_TIMEOUT", default=1800)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("YILU_NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("YILU_NOTIFICATIONS_RETRY_BASE", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("YILU_NOTIFICATIONS_RETRY_MAX", default=900)
NOTIFICATIONS_CATCH_UP_DAYS = env.int("YILU_NOTIFICATIONS_CATCH_UP_DAYS", default=7)
CELERY_BEAT_SCHEDULE.update(
    {
        "notifications-plan-reminders": {
            "task": "notifications.tasks.reminder_plan",
            "schedule": NOTIFICATIONS_PLAN_SECONDS,
            "options": {"expires": NOTIFICATIONS_PLAN_SECONDS},
        },
        "notifications-dispatch-due": {
            "task": "notifications.tasks.message_dispatch_due",
            "schedule": NOTIFICATIONS_DISPATCH_SECONDS,
            "options": {"expires": NOTIFICATIONS_DISPATCH_SECONDS},
        },
        "notifications-sweep-stuck": {
            "task": "notifications.tasks.message_sweep_stuck",
            "schedule": NOTIFICATIONS_SWEEP_SECONDS,
            "options": {"expires": NOTIFICATIONS_SWEEP_SECONDS},
        },
    }
)

# Spring Bud Fund: every night re-check that each entry balances and the trial balance is zero.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["funds-ledger-integrity"] = {
    "task": "funds.tasks.ledger_integrity_check",
    "schedule": crontab(hour=2, minute=30),
    "options": {"expires": 6 * 3600},
}

# Personal data (PIPL art. 19, docs/privacy.md): participants and visitor registrations
# are anonymised this many days after their last event ended (hours and counts stay).
PERSONAL_DATA_RETENTION_DAYS = env.int("YILU_PERSONAL_DATA_RETENTION_DAYS", default=730)
PERSONAL_DATA_PURGE_BATCH = env.int("YILU_PERSONAL_DATA_PURGE_BATCH", default=500)
CELERY_BEAT_SCHEDULE["events-personal-data-purge"] = {
    "task": "events.tasks.personal_data_purge",
    "schedule": crontab(hour=3, minute=15),
    "options": {"expires": 6 * 3600},
}

# --- Logging: no personal data in logs (see docs/privacy.md) ----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Never below INFO, whatever DJANGO_LOG_LEVEL says: at DEBUG these dump SQL
    # parameters and whole template contexts (names, phones, e-mail addresses).
    # tests/config/test_no_personal_data_in_logs.py scans a journey's records.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"level": "INFO"},
    },
}

# --- Portal ---------------------------------------------------------------
YILU_SITE_NAME = _("Jing'an District Social Organization Federation")
YILU_CONTACT_EMAIL = env("YILU_CONTACT_EMAIL", default="office@yilu.example")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Import-export: every import needs its own permission; previews are dry runs.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
