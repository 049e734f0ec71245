"""A web worker does not load what only a rare request needs (issue 17: worker memory).

pypinyin's dictionaries (~55 MB) are needed only when a name is written, reportlab
(~13 MB) only for a PDF; both load on first use. Checked in a fresh interpreter:
Django set up and every URL pattern imported, as a gunicorn worker starts.
"""

import os
import subprocess
import sys

from django.conf import settings

LOADED_ON_FIRST_USE = ("pypinyin", "reportlab")

SCRIPT = """
import sys, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _modules_at_start() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(done.stdout.split())


def test_a_worker_starts_without_the_libraries_of_rare_requests():
    loaded = _modules_at_start()
    assert "django" in loaded and "allauth" in loaded  # the check sees what it should
    assert not loaded.intersection(LOADED_ON_FIRST_USE), sorted(loaded & set(LOADED_ON_FIRST_USE))


WORKER_SCRIPT = """
import sys, django
django.setup()
from celery.signals import worker_init
from config.celery_app import app
before = "events.views" in sys.modules
worker_init.send(sender=None)
print(before, "events.views" in sys.modules)
"""


def test_a_celery_worker_loads_the_urlconf_before_its_pool_forks():
    """Mails link back to the site: the first reverse() imports every view (~1 s), done once
    in the worker's main process so no pool process spends it inside a task."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", WORKER_SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["False", "True"], done.stdout + done.stderr
