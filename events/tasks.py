"""Scheduled events work: the nightly personal-data retention job (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from .services import retention


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def personal_data_purge() -> dict[str, int]:
    """Anonymise participants and visitor registrations past the retention period; counts only."""
    result = retention.personal_data_purge()
    return {"participants": result.participants, "registrations": result.registrations}
