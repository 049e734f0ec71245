"""Fund background work: the nightly ledger integrity check (see CELERY_BEAT_SCHEDULE) and
the ledger exports too large to write while the manager waits."""

from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from . import resources, services
from .models import Fund


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def ledger_integrity_check() -> list[str]:
    """Re-check every entry and trial balance; return the codes of funds that failed."""
    return [report.fund.code for report in services.ledger_integrity_check() if not report.ok]


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def ledger_file_prepare(fund_id: int, year: int, language: str) -> str:
    """Write a year's ledger export into private storage (idempotent); the stored name."""
    fund = Fund.objects.get(pk=fund_id)
    with translation.override(language):
        return resources.ledger_file_write(fund=fund, year=year)
