"""Load realistic, clearly fictitious demo data. Safe to run again: nothing doubles."""

from django.core.management.base import BaseCommand
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
from core.pagecache import page_cache_bump_all

# Each app's ``demo.seed(stdout)`` runs in this order; later apps build on earlier ones.
# A new app adds its module here, one line, below the apps it builds on.
DEMO_MODULES = [
    federation.demo,
    alliances.demo,
    events.demo,
    funds.demo,
    caravan.demo,
    catalogue.demo,
    news.demo,
    streets.demo,
    volunteers.demo,
    festival.demo,
    portal.demo,
]


class Command(BaseCommand):
    help = "Load fictitious demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins: list[tuple[str, str]] = []
        with translation.override("zh-hans"):
            for module in DEMO_MODULES:
                # No wrapping transaction: seeds call durable services.
                result = module.seed(self.stdout)
                if module is federation.demo:
                    logins = result
        # Seeds also write around the services: no cached public page may outlive them.
        page_cache_bump_all()
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded (all people, phones and codes are fictitious).")
        )
        self.stdout.write("Demo logins:")
        for email, password in logins:
            self.stdout.write(f"  {email}  /  {password}")
