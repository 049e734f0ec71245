from tests.notifications.conftest import clock  # noqa: F401 - the outbox's settable clock
