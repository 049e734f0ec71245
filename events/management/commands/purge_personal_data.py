"""Anonymise participants and visitor registrations past the retention period.

``--dry-run`` lists the row ids that would be anonymised (ids only, never names
or mobiles) and changes nothing. The nightly Celery task runs the same service.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.services.retention import personal_data_purge


class Command(BaseCommand):
    help = "Anonymise participants and visitor registrations past the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        result = personal_data_purge(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Retention period: {days} days. Dry run, nothing changed.")
            self.stdout.write(f"Participants to anonymise: {result.participants}")
            for pk in result.participant_ids:
                self.stdout.write(f"  participant #{pk}")
            self.stdout.write(f"Visitor registrations to anonymise: {result.registrations}")
            for pk in result.registration_ids:
                self.stdout.write(f"  registration #{pk}")
            return
        self.stdout.write(
            f"Retention period: {days} days. Anonymised {result.participants} participants "
            f"and {result.registrations} registrations."
        )
