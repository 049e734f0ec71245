"""Scheduled fund work: the nightly ledger integrity check (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def ledger_integrity_check() -> list[str]:
    """Re-check every entry and trial balance; return the codes of funds that failed."""
    return [report.fund.code for report in services.ledger_integrity_check() if not report.ok]
