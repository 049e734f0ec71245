"""``make bench``: production settings on plain HTTP on loopback, plus bench-only URLs.

Only the harness (``python manage.py bench``) uses these settings; the bare
views of ``portal.bench.views`` exist in no other settings (``config.urls_bench``).
"""

from .production import *  # noqa: F403
from .production import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-" + "0" * 50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "config.urls_bench"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, and the client sends the cookies itself.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# No mail leaves the machine; the dispatcher's throughput is measured against this.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
