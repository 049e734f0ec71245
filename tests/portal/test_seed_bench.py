"""``seed_bench`` at a tiny scale: sizes follow the scale, the ledger balances and checks out."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.bench.common import Plan

SCALE = 0.01

pytestmark = pytest.mark.django_db


def _skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("seed_bench writes with PostgreSQL SQL and triggers (set DATABASE_URL)")


def test_seed_bench_refuses_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_bench", "--scale", "0.01", stdout=StringIO())


def test_seed_bench_sizes_follow_the_scale_and_the_ledger_checks_out():
    _skip_unless_postgresql()
    from events.models import Registration
    from federation.creditcode import check_credit_code
    from federation.models import Organisation
    from funds.models import ClosedPeriod, JournalEntry, NumberSeries, Posting
    from funds.services.ledger import ledger_integrity_check
    from notifications.models import Message

    call_command("seed_bench", "--scale", str(SCALE), stdout=StringIO())
    plan = Plan.at(SCALE)

    bench_orgs = Organisation.objects.filter(slug__startswith="bench-org-")
    assert bench_orgs.count() == plan.organisations == round(2000 * SCALE)
    codes = bench_orgs.exclude(credit_code="").values_list("credit_code", flat=True)
    assert codes and all(check_credit_code(code).is_valid for code in codes)
    assert all(name.endswith("（虚构）") for name in bench_orgs.values_list("name", flat=True))
    assert Registration.objects.filter(event__slug__startswith="bench-").count() == (
        plan.registrations
    )
    assert Message.objects.filter(dedupe_key__startswith="bench:outbox:").count() == plan.outbox
    bench_postings = Posting.objects.filter(entry__source_reference__startswith="BENCH-").count()
    assert 0.95 * plan.postings <= bench_postings <= plan.postings

    # Balanced entries, gapless numbers matching the counters, closed years sealed.
    assert not JournalEntry.objects.unbalanced().exists()
    for counter in NumberSeries.objects.filter(series="entry"):
        sequences = JournalEntry.objects.filter(
            fund_id=counter.fund_id, year=counter.year
        ).values_list("sequence", flat=True)
        assert sorted(sequences) == list(range(1, counter.last_number + 1)), counter.year
    closed = sorted(ClosedPeriod.objects.values_list("year", flat=True))
    assert closed == list(range(2014, plan.today.year))
    assert all(report.ok for report in ledger_integrity_check())

    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_bench", "--scale", str(SCALE), stdout=StringIO())
