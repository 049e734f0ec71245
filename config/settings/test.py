"""Test settings: fast hashing, mail kept in memory, Celery tasks run eagerly.

Integration tests that need the real pieces (Redis, a Celery worker, an SMTP
server) start them themselves and are marked ``integration``.
"""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_CLIENT_TIMEOUTS, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-the-checks-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The Celery worker an integration test starts (tests/notifications/test_integration.py)
# sets YILU_CELERY_EAGER=false: it then uses the real broker (CELERY_BROKER_URL)
# and sends through EMAIL_URL, the test's own SMTP server.
if not env.bool("YILU_CELERY_EAGER", default=True):
    CELERY_TASK_ALWAYS_EAGER = False
    vars().update(env.email_url("EMAIL_URL", default="locmemmail://"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **REDIS_CLIENT_TIMEOUTS,
        "visibility_timeout": env.int("YILU_CELERY_VISIBILITY_TIMEOUT", default=3600),
        # Look for deliveries past their visibility timeout every second (kombu's
        # default is every 100 s): the integration test waits for the redelivery.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "core.files.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": env("DJANGO_TEST_DATABASE_NAME", default=None)}
# Factories write around the services, so the page cache would serve stale pages
# to tests that change data between two requests; tests of the cache turn it on.
YILU_PAGE_CACHE_SECONDS = 0
YILU_FRAGMENT_CACHE_SECONDS = 0
