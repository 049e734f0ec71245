"""Load realistic, clearly fictitious demo data. Safe to run again: nothing doubles."""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.utils import translation

# Each app's ``demo.seed(stdout)`` runs in this order; later apps build on earlier ones.
DEMO_MODULES = [
    "federation.demo",
    "alliances.demo",
    "events.demo",
    "funds.demo",
    "news.demo",
    "notifications.demo",
]


class Command(BaseCommand):
    help = "Load fictitious demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins: list[tuple[str, str]] = []
        with translation.override("zh-hans"):
            for name in DEMO_MODULES:
                if find_spec(name) is None:
                    continue
                module = import_module(name)
                # No wrapping transaction: seeds call durable services.
                result = module.seed(self.stdout)
                if name == "federation.demo":
                    logins = result
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded (all people, phones and codes are fictitious).")
        )
        self.stdout.write("Demo logins:")
        for email, password in logins:
            self.stdout.write(f"  {email}  /  {password}")
