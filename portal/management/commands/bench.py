"""``make bench``: measure the portal against the seeded bench database; write the report."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from events.models import Registration
from federation.models import Organisation
from funds.models import Posting
from portal.bench.harness import report
from portal.bench.harness.run import SECTIONS, Options, run

DEFAULT_OUT = "docs/benchmarks.md"

NOTES = [
    "Ratios divide the bare view's median by the page's median, both measured in the same "
    "round (interleaved: bare, page, bare, page …), one request at a time; ≥ 1 is as fast "
    "as the bare view.",
    "The bare views (`/_bench/bare/`, `/_bench/insert/`, `/_bench/sum/`) exist only in "
    "`config.settings.bench` (`config.urls_bench`); they go through the full middleware.",
    "Cache off: `YILU_PAGE_CACHE_SECONDS=0`; cache on: 300 s (Redis). Each phase has its "
    "own gunicorn (2 sync workers, production settings on plain HTTP, `DEBUG=False`).",
    "Staff pages are fetched with a session cookie of the fund manager (fund pages) or the "
    "superuser (`/staff/`, `/work/`).",
    "Sign-ups: each visitor POST carries its own `X-Forwarded-For` (as behind the proxy), "
    "so the per-address sign-up limit does not answer 429; the figure is the throughput "
    "of the sign-up POSTs over that of the bare one-INSERT POST, same clients and count.",
    "Fund reports run in the harness process (selectors and the export function) against "
    "the bare `SELECT sum(amount) FROM funds_posting`, interleaved.",
    "The organisation import goes through `OrganisationResource.import_data` (and so "
    "`federation.services.organisation_import`) in files of at most 2,000 rows, the "
    "per-file limit; `bulk_create` writes the same rows in one transaction. Both are "
    "deleted afterwards.",
    "The dispatcher: pending messages due now, one `message_dispatch_due` tick queued to "
    "a real Celery worker on Redis as the Procfile runs it (prefork pool, concurrency 2), mail to the locmem backend; the rate is "
    "messages sent over the time from the first claim seen to the last send (polled "
    "every 0.2 s).",
    "Peak RSS is `VmHWM` from `/proc/<pid>/status` (the highest of the gunicorn workers).",
    "The machine is shared (2 cores, other sessions' test runs and servers at the same "
    "time): figures move between runs; the ratios are meant to absorb part of it.",
]


class Command(BaseCommand):
    help = "Benchmark the portal (gunicorn, Redis, Celery) against the bench database."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="fewer rounds and rows")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--redis-port", type=int, default=6399)
        parser.add_argument("--out", default=DEFAULT_OUT)
        parser.add_argument(
            "--import-rows", type=int, default=None, help="default 10,000 (quick: 1,000)"
        )
        parser.add_argument("--scale", default="?", help="the scale seeded (for the report)")
        parser.add_argument("--command-line", default="make bench", help="for the report")
        parser.add_argument(
            "--only",
            default="",
            help=f"comma-separated sections to measure ({', '.join(sorted(SECTIONS))}); "
            "the report then goes to var/bench-only.md unless --out is given",
        )

    def handle(self, *args, quick, port, redis_port, out, scale, command_line, only, **options):
        sections = frozenset(filter(None, (name.strip() for name in only.split(","))))
        if sections - SECTIONS:
            raise CommandError(f"Unknown section(s): {', '.join(sorted(sections - SECTIONS))}")
        if sections and out == DEFAULT_OUT:
            out = "var/bench-only.md"
        if connection.vendor != "postgresql":
            raise CommandError("make bench needs PostgreSQL (BENCH_DATABASE_URL).")
        if not Organisation.objects.exists():
            raise CommandError("The bench database is empty: run seed_bench first.")
        # Production serves hashed static files from the manifest, as after a deploy.
        call_command("collectstatic", interactive=False, verbosity=0)
        started = timezone.now()
        log = Path(settings.BASE_DIR) / "var" / "bench.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        opts = Options(
            port=port,
            redis_port=redis_port,
            rounds=3 if quick else 5,
            import_rows=options["import_rows"] or (1000 if quick else 10_000),
            dispatch_messages=200 if quick else 5000,
            signup_capacity=10 if quick else 30,
            clients=4,
            log=log,
            only=sections or SECTIONS,
        )
        rows = run(opts)
        took = timezone.now() - started
        header = [
            f"Run {started:%Y-%m-%d %H:%M} UTC, {took.seconds // 60} min {took.seconds % 60} s; "
            f"command `{command_line}`; scale {scale} "
            f"({Organisation.objects.count():,} organisations, "
            f"{Registration.objects.count():,} registrations, "
            f"{Posting.objects.count():,} postings); {opts.rounds} rounds.",
        ]
        report.write(Path(out), header=header, rows=rows, notes=NOTES)
        missed = [row for row in rows if row.ok is False]
        for row in rows:
            self.stdout.write(f"{row.verdict:>10}  {row.section}: {row.name}: {row.figure}")
        self.stdout.write(f"Wrote {out}; {len(missed)} target(s) missed.")
        if missed:
            sys.exit(1)
