import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ, "
    "settings.DATABASES['default']['ATOMIC_REQUESTS'])"
)


def _run(module: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE=module, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "module",
    ["config.settings.local", "config.settings.test", "config.settings.base"],
)
def test_settings_module_loads(module):
    result = _run(module)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["zh-hans", "Asia/Shanghai", "True", "False"]


def test_production_settings_load_with_a_secret():
    result = _run("config.settings.production", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_start_without_a_secret():
    result = _run("config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_gives_no_warning_under_production_settings():
    env = {k: v for k, v in os.environ.items()}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="deploy-check-" + "k3y" * 20,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_embedded_defaults_need_no_server(settings):
    # The defaults used when DATABASE_URL / CELERY_BROKER_URL / REDIS_URL are unset.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, "
        "s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
