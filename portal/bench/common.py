"""Shared helpers of the bench seeders: the plan (sizes at a scale) and bulk writing."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from core.timezone import SHANGHAI

BATCH = 5000
YEARS = 15  # years of history (events); the ledger starts with the fund in 2014
LEDGER_FIRST_YEAR = 2014
BENCH_MARK = "（虚构）"


@dataclass(frozen=True)
class Plan:
    """What ``seed_bench --scale N`` writes; at scale 1 the sizes of issue 17."""

    scale: float
    organisations: int
    participants_per_organisation: int
    registrations: int
    postings: int
    outbox: int
    today: datetime.date

    @classmethod
    def at(cls, scale: float, today: datetime.date | None = None) -> "Plan":
        def sized(full: int, least: int = 1) -> int:
            return max(least, round(full * scale))

        return cls(
            scale=scale,
            organisations=sized(2000, 20),
            participants_per_organisation=5,
            registrations=sized(100_000, 50),
            postings=sized(1_000_000, 200),
            outbox=sized(100_000, 50),
            today=today or timezone.localdate(),
        )

    @property
    def first_year(self) -> int:
        return self.today.year - YEARS + 1

    @property
    def years(self) -> range:
        return range(self.first_year, self.today.year + 1)


def local_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def bulk(model, rows, *, batch_size: int = BATCH) -> list:
    """``bulk_create`` in batches; returns the objects with their primary keys."""
    created = []
    rows = list(rows)
    for start in range(0, len(rows), batch_size):
        created += model.objects.bulk_create(rows[start : start + batch_size])
    return created


def mobile(number: int) -> str:
    """A fictitious 11-digit mobile: 199 plus eight digits (one person per number)."""
    return f"199{number % 100_000_000:08d}"


def execute(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            f"seed_bench needs PostgreSQL (set DATABASE_URL); this database is {connection.vendor}."
        )
