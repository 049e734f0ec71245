"""``make bench``: production settings on plain HTTP on loopback, plus bench-only URLs.

Only the harness (``python manage.py bench``) uses these settings; the bare
views of ``portal.bench.views`` exist in no other settings (``config.urls_bench``).
"""

import os

# Production requires a secret key from the environment; the bench has its own.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "0" * 40)

from .production import *  # noqa: E402, F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "config.urls_bench"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, and the client sends the cookies itself.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# No mail leaves the machine; the dispatcher's throughput is measured against this.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
