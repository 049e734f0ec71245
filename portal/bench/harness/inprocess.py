"""Figures measured inside the harness process: fund reports, the import, the dispatcher."""

import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.db import connection, transaction
from django.utils import timezone

from federation.creditcode import make_credit_code
from federation.models import Organisation, Street, User
from federation.resources import COLUMNS, MAX_IMPORT_ROWS, OrganisationResource, header_for
from funds import resources as fund_resources
from funds import selectors as fund_selectors
from funds.models import Fund
from notifications.models import Message

IMPORT_CODE_PREFIX = "MN"  # organisation codes of the import rows (deleted afterwards)


@dataclass
class Timing:
    name: str
    median: float  # seconds
    reference: float  # the bare reference's median in the same rounds


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def bare_sum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(amount) FROM funds_posting")
        cursor.fetchone()


def fund_reports(rounds: int) -> list[Timing]:
    """Each report and the bare sum, interleaved, ``rounds`` times (after one warm-up)."""
    fund = Fund.objects.get(code="SBF")
    reports = {
        "balances (account_balances)": lambda: fund_selectors.account_balances(fund=fund),
        "trial balance": lambda: fund_selectors.trial_balance(fund=fund),
        "fund summary": lambda: fund_selectors.fund_summary(fund=fund),
        "yearly totals (fund_totals_by_year)": lambda: fund_selectors.fund_totals_by_year(
            fund=fund
        ),
        "income by channel": lambda: fund_selectors.income_by_channel(fund=fund),
        "income-and-expense export (.xlsx)": lambda: fund_resources.income_expense_xlsx(fund=fund),
    }
    samples = {name: [] for name in reports}
    bare: list[float] = []
    for call in [bare_sum, *reports.values()]:
        call()
    for _round in range(rounds):
        for name, call in reports.items():
            bare.append(_timed(bare_sum))
            samples[name].append(_timed(call))
    reference = statistics.median(bare)
    return [Timing(name, statistics.median(values), reference) for name, values in samples.items()]


def _import_dataset(first: int, last: int, street: Street) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[header_for(attribute) for attribute, _zh, _en in COLUMNS])
    for number in range(first, last + 1):
        values = {
            "credit_code": make_credit_code(f"52310106{IMPORT_CODE_PREFIX}{number:06d}"),
            "name": f"上海市静安区导入测试服务社第{number}号（虚构）",
            "short_name": f"导入{number}",
            "legal_form": "社会服务机构",
            "status": "会员",
            "registration_status": "登记",
            "street": street.name_zh,
            "established_on": "2015-06-01",
            "contact_person": "李*（虚构）",
        }
        dataset.append([values.get(attribute, "") for attribute, _zh, _en in COLUMNS])
    return dataset


def _remove_imported() -> None:
    Organisation.objects.filter(credit_code__contains=f"310106{IMPORT_CODE_PREFIX}").delete()


def _bulk_rows(rows: int, street: Street) -> list[Organisation]:
    return [
        Organisation(
            name=f"上海市静安区批量测试服务社第{number}号（虚构）",
            slug=f"bench-bulk-{number}",
            status=Organisation.Status.ACTIVE,
            legal_form=Organisation.LegalForm.SERVICE_AGENCY,
            credit_code=make_credit_code(f"52310106{IMPORT_CODE_PREFIX}{number:06d}"),
            street=street,
        )
        for number in range(1, rows + 1)
    ]


def organisation_import(rows: int) -> tuple[float, float, int]:
    """Seconds to import ``rows`` new organisations through ``OrganisationResource``.

    The import goes through ``federation.services.organisation_import`` in files of
    ``MAX_IMPORT_ROWS`` (the per-file limit); then seconds to ``bulk_create`` as many,
    and how many the import created (-1 when a file was refused). Both sets are deleted.
    """
    staff = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    street = Street.objects.order_by("code").first()
    files = [
        _import_dataset(first, min(first + MAX_IMPORT_ROWS - 1, rows), street)
        for first in range(1, rows + 1, MAX_IMPORT_ROWS)
    ]
    _remove_imported()
    failed = False
    started = time.perf_counter()
    for dataset in files:
        result = OrganisationResource().import_data(dataset, dry_run=False, user=staff)
        failed |= result.has_errors() or result.has_validation_errors()
    imported = time.perf_counter() - started
    created = Organisation.objects.filter(credit_code__contains=f"310106{IMPORT_CODE_PREFIX}")
    count = -1 if failed else created.count()
    _remove_imported()
    objects = _bulk_rows(rows, street)
    started = time.perf_counter()
    with transaction.atomic():
        Organisation.objects.bulk_create(objects, batch_size=1000)
    bulk = time.perf_counter() - started
    _remove_imported()
    return imported, bulk, count


DISPATCH_KEY = "bench:dispatch:"


def dispatch_messages_add(count: int) -> None:
    """``count`` pending messages due now to reserved addresses (the dispatcher's work)."""
    Message.objects.filter(dedupe_key__startswith=DISPATCH_KEY).delete()
    now = timezone.now() - datetime.timedelta(seconds=1)
    Message.objects.bulk_create(
        (
            Message(
                kind="event_starts",
                email=f"dispatch{number}@bench.example",
                template="events/email/event_starts",
                context={"event_title": f"基准活动{number}", "location": "", "url": ""},
                language="zh-hans",
                optional=True,
                dedupe_key=f"{DISPATCH_KEY}{number}",
                due_at=now,
            )
            for number in range(count)
        ),
        batch_size=2000,
    )


def dispatch_progress() -> tuple[int, int]:
    """(finished, still pending) of the bench's dispatch messages."""
    rows = Message.objects.filter(dedupe_key__startswith=DISPATCH_KEY)
    done = rows.filter(state__in=[Message.State.SENT, Message.State.SKIPPED, Message.State.FAILED])
    return done.count(), rows.filter(state=Message.State.PENDING).count()


def dispatch_sent() -> int:
    rows = Message.objects.filter(dedupe_key__startswith=DISPATCH_KEY)
    return rows.filter(state=Message.State.SENT).count()


def dispatch_messages_remove() -> None:
    Message.objects.filter(dedupe_key__startswith=DISPATCH_KEY).delete()
