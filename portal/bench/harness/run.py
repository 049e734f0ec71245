"""One ``make bench`` run: both gunicorn phases, the in-process figures, the rows of the table."""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from federation.models import User
from funds.roles import FUND_MANAGERS
from portal.bench.views import ensure_table

from . import inprocess, pages, servers
from .report import Row
from .web import PageResult, measure_pages, measure_signups, session_cookie

MS = 1000

# What ``manage.py bench --only`` can pick (all of them by default).
SECTIONS = frozenset({"public", "cached", "staff", "signup", "reports", "import", "outbox"})


@dataclass
class Options:
    port: int
    redis_port: int
    rounds: int
    import_rows: int
    dispatch_messages: int
    signup_capacity: int
    clients: int
    log: Path
    only: frozenset = SECTIONS

    def wants(self, *sections: str) -> bool:
        return bool(self.only.intersection(sections))


def _env(options: Options, cache_seconds: int) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "REDIS_URL": f"redis://127.0.0.1:{options.redis_port}/1",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{options.redis_port}/0",
        "YILU_PAGE_CACHE_SECONDS": str(cache_seconds),
    }


def _page_rows(section: str, results: list[PageResult], *, least: float, max_ms: float | None):
    rows = []
    for page in results:
        if page.skipped:
            rows.append(Row(section, f"`{page.name}`", page.skipped, "not public", None))
            continue
        errors = page.samples.errors
        ms = page.samples.median * MS
        ok = not errors and page.ratio >= least and (max_ms is None or ms <= max_ms)
        figure = f"{page.ratio:.3f}× bare ({ms:.1f} ms)"
        if errors:
            figure += f", HTTP {sorted(set(errors))}"
        target = f"≥ {least:.2f}×" + (f", ≤ {max_ms:.0f} ms" if max_ms else "") + ", 2xx"
        rows.append(Row(section, f"`{page.name}`", figure, target, ok))
    return rows


def _staff_rows(results: list[PageResult]) -> list[Row]:
    rows = []
    for page in results:
        ms = page.samples.median * MS
        errors = page.samples.errors
        figure = f"{ms:.0f} ms ({page.ratio:.3f}× bare)"
        if errors:
            figure += f", HTTP {sorted(set(errors))}"
        rows.append(Row("staff page", page.name, figure, "≤ 300 ms, 2xx", ms <= 300 and not errors))
    return rows


def _cookies() -> dict:
    staff = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    fund = (
        User.objects.filter(groups__name=FUND_MANAGERS, is_active=True).order_by("pk").first()
        or staff
    )
    return {"staff": session_cookie(staff), "fund": session_cookie(fund)}


def web_phase(options: Options, *, cached: bool) -> tuple[list[PageResult], list[PageResult], dict]:
    """Public (and, uncached, staff) pages and sign-ups against one gunicorn."""
    env = _env(options, 300 if cached else 0)
    public = []
    if cached or options.wants("public"):
        public = [PageResult(name, path) for name, path in pages.public_pages()]
    staff = []
    if not cached and options.wants("staff"):
        staff = [PageResult(n, p, who) for n, p, who in pages.staff_pages()]
    extra = {}
    with servers.Gunicorn(options.port, env, log=options.log) as gunicorn:
        if public or staff:
            measure_pages(options.port, public + staff, _cookies(), options.rounds)
        if not cached and options.wants("signup"):
            extra["signups"] = measure_signups(
                options.port,
                rounds=options.rounds,
                capacity=options.signup_capacity,
                clients=options.clients,
            )
        extra["gunicorn_mb"] = gunicorn.worker_peak_mb()
    return public, staff, extra


def celery_phase(options: Options) -> tuple[float, int, float]:
    """Messages a second through Redis and a Celery worker, and the worker's peak RSS.

    The clock runs from the first claimed message seen to the last one finished (polled
    every 0.2 s), so neither the worker's start nor ``celery call``'s start counts.
    """
    inprocess.dispatch_messages_add(options.dispatch_messages)
    env = _env(options, 0)
    started = None
    with servers.CeleryWorker(env, log=options.log) as worker:
        worker.call("notifications.tasks.message_dispatch_due")
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            done, pending = inprocess.dispatch_progress()
            if started is None and pending < options.dispatch_messages:
                started = time.monotonic()
            if done >= options.dispatch_messages:
                break
            time.sleep(0.2)
        seconds = time.monotonic() - (started or time.monotonic())
        peak = worker.peak_mb()
    sent = inprocess.dispatch_sent()
    inprocess.dispatch_messages_remove()
    return (sent / seconds if seconds > 0 else 0.0), sent, peak


def run(options: Options) -> list[Row]:
    ensure_table()
    rows: list[Row] = []
    gunicorn_mb = 0.0
    with servers.Redis(options.redis_port):
        if options.wants("public", "staff", "signup"):
            public, staff, extra = web_phase(options, cached=False)
            gunicorn_mb = max(gunicorn_mb, extra["gunicorn_mb"])
            if options.wants("public"):
                rows += _page_rows("public page, cache off", public, least=0.30, max_ms=100)
        if options.wants("cached"):
            cached_public, _none, cached_extra = web_phase(options, cached=True)
            gunicorn_mb = max(gunicorn_mb, cached_extra["gunicorn_mb"])
            rows += _page_rows("public page, cache on", cached_public, least=0.80, max_ms=100)
        if options.wants("outbox"):
            rate, sent, celery_mb = celery_phase(options)
    if options.wants("staff"):
        rows += _staff_rows(staff)
    if options.wants("signup"):
        rows += _signup_rows(extra["signups"])
    if options.wants("reports"):
        rows += _report_rows(options)
    if options.wants("import"):
        rows += _import_rows(options)
    if options.wants("outbox"):
        rows.append(
            Row(
                "outbox",
                f"dispatcher (Celery + Redis, {sent} sent)",
                f"{rate:.0f} messages/s",
                "≥ 1,000/s",
                rate >= 1000,
            )
        )
        rows.append(
            Row(
                "memory",
                "Celery worker peak RSS",
                f"{celery_mb:.0f} MB",
                "≤ 250 MB",
                0 < celery_mb <= 250,
            )
        )
    if gunicorn_mb:
        rows.append(
            Row(
                "memory",
                "gunicorn worker peak RSS",
                f"{gunicorn_mb:.0f} MB",
                "≤ 150 MB",
                gunicorn_mb <= 150,
            )
        )
    return rows


def _signup_rows(result) -> list[Row]:
    insert = statistics.median(result.insert_seconds)
    signup = statistics.median(result.signup_seconds)
    ratio = insert / signup if signup else 0.0
    exact = all(result.exact)
    figure = (
        f"{ratio:.3f}× the bare INSERT POST ({result.posts / signup:.1f} vs "
        f"{result.posts / insert:.1f} POST/s, {result.clients} clients)"
    )
    if result.errors:
        figure += f", HTTP {sorted(set(result.errors))}"
    return [
        Row(
            "sign-up",
            "visitor sign-up POSTs",
            figure,
            "≥ 0.30×",
            ratio >= 0.30 and not result.errors,
        ),
        Row(
            "sign-up",
            f"confirmed = capacity ({result.capacity} seats, {result.posts} POSTs, each round)",
            "exact" if exact else f"wrong in {result.exact.count(False)} round(s)",
            "exact",
            exact,
        ),
    ]


def _report_rows(options: Options) -> list[Row]:
    timings = inprocess.fund_reports(options.rounds)
    rows = [
        Row(
            "fund report",
            "bare `SELECT sum(amount)` over postings",
            f"{timings[0].reference * MS:.1f} ms",
            "reference",
            None,
        )
    ]
    for timing in timings:
        times = timing.median / timing.reference
        rows.append(
            Row(
                "fund report",
                timing.name,
                f"{times:.1f}× bare sum ({timing.median * MS:.1f} ms)",
                "≤ 2×",
                times <= 2,
            )
        )
    return rows


def _import_rows(options: Options) -> list[Row]:
    imported, bulk, count = inprocess.organisation_import(options.import_rows)
    times = imported / bulk if bulk else float("inf")
    figure = f"{times:.1f}× bulk_create ({imported:.1f} s vs {bulk:.2f} s, {count} created)"
    ok = times <= 10 and count == options.import_rows
    return [Row("import", f"organisation import, {options.import_rows} rows", figure, "≤ 10×", ok)]
