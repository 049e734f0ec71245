"""Write the year's annual report: the .xlsx workbook and the Chinese PDF summary."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboard import documents, selectors
from dashboard.registry import Filters


class Command(BaseCommand):
    help = "Write the annual report (.xlsx, a sheet per topic, and a PDF summary in Chinese)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--street", default="", help="a street's statistical code")
        parser.add_argument("--output-dir", default=".", help="folder for the two files")

    def handle(self, *args, year, street, output_dir, **options):
        year = year or selectors.this_year()
        street_obj = None
        if street:
            street_obj = selectors.street_from(street, streets=selectors.street_list())
            if street_obj is None:
                raise CommandError(f"No street with code {street}.")
        filters = Filters(year=year, street=street_obj)
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with translation.override("zh-hans"):
            files = {
                "xlsx": documents.annual_report_xlsx(filters),
                "pdf": documents.annual_report_pdf(filters),
            }
        for extension, content in files.items():
            path = folder / documents.annual_report_filename(filters, extension)
            path.write_bytes(content)
            self.stdout.write(str(path))
