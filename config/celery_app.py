"""The Celery application.

With no ``CELERY_BROKER_URL`` the broker is Celery's filesystem transport in
``var/celery`` (see settings), so a worker and beat run with no server at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("yilu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
