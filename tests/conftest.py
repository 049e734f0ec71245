"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import pytest
from django.db import connection


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database it found.

    A transactional test ends with a flush, which would also wipe the
    reference data that data migrations load (streets, alliances, groups, the
    fund's chart of accounts). With serialized rollback the test database is
    serialized once after migrating, each transactional test reloads it at
    setup, and the flush skips post_migrate (so content types never clash).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        wants_transaction = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in getattr(item, "fixturenames", ())
        )
        if not wants_transaction:
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_only(db):
    """Skip, with the reason, where a test needs PostgreSQL (row locks, triggers)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (the CI runs it)")
