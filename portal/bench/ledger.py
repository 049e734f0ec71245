"""Bench ledger: ~1M postings in 2014..today, written by SQL with the ledger triggers on.

Entries go in chunks of ``CHUNK`` per transaction; each takes the same locks as
``funds.services`` (the fund row, then the year's entry counter) and numbers its
entries from the counter onwards, so numbering stays gapless and the services carry
on after it. The deferred trigger checks every entry's balance at commit. Closing
years goes through ``funds.services.period_close`` (``close_years``).

Why chunks: the sealed-ledger trigger (funds 0008) lists the transaction's new
entries in one string setting and searches it for every posting, which is quadratic
in the entries of one transaction (a year of 38,000 entries in one transaction did
not commit within minutes; 1,000 a transaction is linear).
"""

import datetime

from django.db import transaction

from federation.models import User
from funds import services as fund_services
from funds.models import Account, ClosedPeriod, Donor, Fund, NumberSeries
from funds.roles import FUND_MANAGERS

from .common import BENCH_MARK, LEDGER_FIRST_YEAR, Plan, bulk, execute

CHANNELS = ["bank_transfer", "online", "cash", "donation_box", "caravan"]

ENTRIES_SQL = """
INSERT INTO funds_journalentry (fund_id, number, year, sequence, entry_on, kind, description,
                                source_reference, posted_by_id, posted_at)
SELECT %(fund)s,
       %(code)s || '-' || %(year)s || '-' || lpad(g::text, greatest(4, length(g::text)), '0'),
       %(year)s, g, d.day,
       CASE WHEN g %% 5 = 4 THEN 'manual' ELSE 'donation' END,
       CASE WHEN g %% 5 = 4 THEN %(expense_text)s ELSE %(gift_text)s END,
       'BENCH-' || %(year)s || '-' || g, %(user)s,
       (d.day + time '12:00') AT TIME ZONE 'Asia/Shanghai'
  FROM generate_series(%(first)s, %(last)s) g,
       LATERAL (SELECT %(first_day)s::date
                       + ((g - 1)::bigint * %(span)s / %(year_total)s)::integer AS day) d
"""

AMOUNT = """CASE WHEN e.kind = 'donation' THEN 100 + (e.sequence * 37) %% 4900
                 ELSE 10 + (e.sequence * 13) %% 290 END"""
EXPENSE = "CASE WHEN e.sequence %% 10 = 9 THEN %(project)s ELSE %(fee)s END"

# Only the module's own SQL fragments are formatted in; every value is a bound parameter.
POSTINGS_SQL = f"""
INSERT INTO funds_posting (entry_id, account_id, side, amount, entry_on)
SELECT e.id, CASE WHEN e.kind = 'donation' THEN %(cash)s ELSE {EXPENSE} END, 'debit',
       {AMOUNT}, e.entry_on
  FROM funds_journalentry e
 WHERE e.fund_id = %(fund)s AND e.year = %(year)s AND e.sequence BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT e.id, CASE WHEN e.kind = 'donation' THEN %(income)s ELSE %(cash)s END, 'credit',
       {AMOUNT}, e.entry_on
  FROM funds_journalentry e
 WHERE e.fund_id = %(fund)s AND e.year = %(year)s AND e.sequence BETWEEN %(first)s AND %(last)s
"""  # nosec B608

# Only the module's own SQL fragments are formatted in; every value is a bound parameter.
DONATIONS_SQL = f"""
INSERT INTO funds_donation (fund_id, donor_id, form, amount, goods_description, channel,
                            received_on, restricted_purpose, receipt_status, receipt_number,
                            entry_id, created_by_id, created_at)
SELECT e.fund_id,
       CASE WHEN e.sequence %% 3 = 0 THEN NULL
            ELSE (%(donors)s::bigint[])[1 + e.sequence %% cardinality(%(donors)s::bigint[])] END,
       'money', {AMOUNT}, '',
       (%(channels)s::text[])[1 + e.sequence %% cardinality(%(channels)s::text[])],
       e.entry_on, '',
       CASE WHEN e.sequence %% 3 = 0 THEN 'anonymous' ELSE 'pending' END, '',
       e.id, e.posted_by_id, e.posted_at
  FROM funds_journalentry e
 WHERE e.fund_id = %(fund)s AND e.year = %(year)s AND e.sequence BETWEEN %(first)s AND %(last)s
   AND e.kind = 'donation'
"""  # nosec B608


def _accounts(fund: Fund) -> dict[str, int]:
    roles = Account.objects.filter(fund=fund).exclude(role="").values_list("role", "pk")
    return dict(roles)


def _donors(plan: Plan) -> list[int]:
    count = max(10, plan.organisations)
    donors = bulk(
        Donor,
        (
            Donor(
                kind=Donor.Kind.INDIVIDUAL if number % 2 else Donor.Kind.COMPANY,
                name=f"捐赠人{number}{BENCH_MARK}",
                email=f"donor{number}@bench.example",
            )
            for number in range(1, count + 1)
        ),
    )
    return [donor.pk for donor in donors]


CHUNK = 1000


@transaction.atomic(durable=True)
def _chunk(*, fund: Fund, year: int, count: int, day_of: dict, params: dict) -> int:
    """``count`` entries of ``year`` (dated by ``day_of``: first, span, total) in one
    transaction, numbered on from the year's counter."""
    Fund.objects.select_for_update(no_key=True).get(pk=fund.pk)  # the services' fund lock
    NumberSeries.objects.bulk_create(
        [NumberSeries(fund=fund, series=NumberSeries.Series.ENTRY, year=year)],
        ignore_conflicts=True,
    )
    counter = NumberSeries.objects.select_for_update(no_key=True).get(
        fund=fund, series=NumberSeries.Series.ENTRY, year=year
    )
    first, last = counter.last_number + 1, counter.last_number + count
    values = {**params, **day_of, "year": year, "first": first, "last": last}
    execute(ENTRIES_SQL, values)
    postings = execute(POSTINGS_SQL, values)
    execute(DONATIONS_SQL, values)
    if day_of.get("analyze"):
        # Fresh statistics before the commit runs the balance trigger once per row:
        # planned on a table it still believes small, each check scans every posting.
        execute("ANALYZE funds_journalentry, funds_posting")
    counter.last_number = last
    counter.save(update_fields=["last_number"])
    return postings


def seed_ledger(plan: Plan) -> int:
    """Two postings an entry (gifts: cash / donation income; costs: expense / cash)."""
    fund = Fund.objects.get(code="SBF")
    accounts = _accounts(fund)
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    years = list(range(LEDGER_FIRST_YEAR, plan.today.year + 1))
    params = {
        "fund": fund.pk,
        "code": fund.code,
        "user": user.pk,
        "cash": accounts[Account.Role.CASH],
        "income": accounts[Account.Role.DONATION_INCOME],
        "fee": accounts[Account.Role.FEE_EXPENSE],
        "project": accounts[Account.Role.PROJECT_GRANT_EXPENSE],
        "donors": _donors(plan),
        "channels": CHANNELS,
        "gift_text": f"捐赠{BENCH_MARK}",
        "expense_text": f"手续费及其他支出{BENCH_MARK}",
    }
    per_year = max(1, plan.postings // 2 // len(years))
    total, chunks = 0, 0
    for year in years:
        first_day = datetime.date(year, 1, 1)
        last_day = min(datetime.date(year, 12, 31), plan.today)
        start = (
            NumberSeries.objects.filter(fund=fund, series=NumberSeries.Series.ENTRY, year=year)
            .values_list("last_number", flat=True)
            .first()
            or 0
        )
        for done in range(0, per_year, CHUNK):
            chunks += 1
            day_of = {
                "first_day": first_day,
                "span": (last_day - first_day).days + 1,
                "year_total": start + per_year,
                "analyze": chunks & (chunks - 1) == 0,  # chunks 1, 2, 4, 8 …
            }
            count = min(CHUNK, per_year - done)
            total += _chunk(fund=fund, year=year, count=count, day_of=day_of, params=params)
    return total


def close_years(plan: Plan) -> list[int]:
    """Close every ended year not closed yet, oldest first, through the fund service."""
    fund = Fund.objects.get(code="SBF")
    manager = (
        User.objects.filter(groups__name=FUND_MANAGERS, is_active=True).order_by("pk").first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )
    closed = set(ClosedPeriod.objects.filter(fund=fund).values_list("year", flat=True))
    done = []
    for year in range(LEDGER_FIRST_YEAR, plan.today.year):
        if year not in closed:
            fund_services.period_close(fund=fund, year=year, acting_user=manager)
            done.append(year)
    return done
