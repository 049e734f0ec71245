"""``seed_bench``: the demo data first (its reference rows and logins), then the bulk rows.

Order matters for the ledger: the bulk entries go in before ``funds.demo`` closes
2014–2023 through the service, and the later ended years are closed here after.
"""

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import translation

import alliances.demo
import caravan.demo
import catalogue.demo
import events.demo
import federation.demo
import festival.demo
import funds.demo
import news.demo
import portal.demo
import streets.demo
import volunteers.demo
from federation.models import Organisation
from funds.models import JournalEntry

from . import caravan as bench_caravan
from . import events as bench_events
from . import festival as bench_festival
from . import ledger, organisations, outbox
from .common import Plan, require_postgresql

DEMO_BEFORE_LEDGER = [federation.demo, alliances.demo, events.demo]
DEMO_AFTER_LEDGER = [
    funds.demo,
    caravan.demo,
    catalogue.demo,
    news.demo,
    streets.demo,
    volunteers.demo,
    festival.demo,
    portal.demo,
]


class NotEmpty(Exception):
    """The database already holds data; seed_bench refuses unless told to reset."""


def database_is_empty() -> bool:
    return not (Organisation.objects.exists() or JournalEntry.objects.exists())


def reset_schema() -> None:
    """Drop every table (the ledger refuses DELETE, so the schema goes); migrate again."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)


@transaction.atomic(durable=True)
def _bulk_people_and_events(plan: Plan, say: Callable[[str], None]) -> None:
    orgs = organisations.seed_organisations(plan)
    memberships = organisations.seed_memberships(plan, orgs)
    people = organisations.seed_participants(plan, orgs)
    say(f"{len(orgs)} organisations, {memberships} memberships, {len(people)} participants")
    trainings = bench_events.seed_trainings(plan)
    outreach = bench_events.seed_outreach(plan)
    shifts = bench_caravan.seed_caravans(plan)
    say(f"{len(trainings)} trainings, {len(outreach)} outreach days, {len(shifts)} shifts")
    registrations = bench_events.seed_registrations(plan, trainings + outreach + shifts, people)
    say(f"{registrations} registrations")


def _timed(say: Callable[[str], None]) -> Callable[[str], None]:
    """``say`` with the seconds since the start in front (where the minutes go)."""
    started = time.monotonic()

    def timed(text: str) -> None:
        say(f"[{time.monotonic() - started:6.0f} s] {text}")

    return timed


def seed(plan: Plan, say: Callable[[str], None]) -> None:
    require_postgresql()
    if not database_is_empty():
        raise NotEmpty
    say = _timed(say)
    with translation.override("zh-hans"):
        for module in DEMO_BEFORE_LEDGER:
            module.seed(_Out(say))
        _bulk_people_and_events(plan, say)
        say(f"{ledger.seed_ledger(plan)} postings")
        for module in DEMO_AFTER_LEDGER:
            module.seed(_Out(say))
        say(f"closed through the fund service: {ledger.close_years(plan)}")
        with transaction.atomic(durable=True):
            say(f"{bench_festival.seed_festivals(plan)} festival events")
            say(f"{outbox.seed_outbox(plan)} outbox messages")
    with connection.cursor() as cursor:
        # VACUUM too (it cannot run in a transaction, as under a test): the visibility
        # map lets the ledger's sums read the covering indexes alone.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


class _Out:
    """What the demo seeds write to (``stdout.write``), passed on to ``say``."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def write(self, text: str) -> None:
        self.say(text.rstrip("\n"))
