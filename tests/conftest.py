"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_only(db):
    """Skip, with the reason, where a test needs PostgreSQL (row locks, triggers)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (the CI runs it)")
