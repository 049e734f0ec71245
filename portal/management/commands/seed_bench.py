"""Load the large fictitious data set ``make bench`` measures against (PostgreSQL only)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.bench.common import Plan
from portal.bench.seed import NotEmpty, reset_schema, seed


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with the demo data plus a large fictitious data "
        "set: at --scale 1 about 2,000 organisations, 100k registrations, 1M ledger "
        "postings and 100k outbox messages over 15 years."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the full size")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="drop every table of this database first (destroys its data)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already holds data",
        )

    def handle(self, *args, scale: float, reset: bool, if_empty: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_bench needs PostgreSQL: set DATABASE_URL to an empty database "
                f"(this one is {connection.vendor})."
            )
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        started = time.monotonic()
        if reset:
            reset_schema()
        plan = Plan.at(scale)
        try:
            seed(plan, lambda text: self.stdout.write(text))
        except NotEmpty:
            if if_empty:
                self.stdout.write("The database already holds data: not seeded again.")
                return
            raise CommandError(
                "This database already holds organisations or ledger entries; seed_bench "
                "fills an empty one. Use --reset to drop everything in it first."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench data at scale {scale} loaded in {time.monotonic() - started:.0f} s "
                "(all names, codes, phones and addresses are fictitious)."
            )
        )
