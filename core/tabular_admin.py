"""``core.tabular`` for django-import-export: the formats and the admin mixin every import uses.

``TabularCSV`` and ``TabularXLSX`` read the upload as bytes through
``core.tabular.read_table`` (encoding detection, NFKC, blank rows dropped, zip
bombs refused); the dataset remembers each row's spreadsheet row number
(``dataset.row_numbers``) so errors name the row a person sees.
``dataset_with_header`` then skips title rows above the header.
"""

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import path
from import_export.formats.base_formats import CSV, XLSX

from .tabular import Table, locate_header, read_table

MAX_IMPORT_ROWS = 5000


def _dataset(table: Table, header_index: int = 0) -> tablib.Dataset:
    rows = table.rows[header_index:]
    dataset = tablib.Dataset()
    if not rows:
        dataset.row_numbers = []
        return dataset
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    dataset.headers = ["" if cell is None else str(cell) for cell in padded[0]]
    for row in padded[1:]:
        dataset.append(row)
    dataset.row_numbers = table.numbers[header_index + 1 :]
    dataset.table = table
    return dataset


class _TabularFormat:
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        table = read_table(
            in_stream, name=f"upload.{self.get_extension()}", max_rows=MAX_IMPORT_ROWS
        )
        return _dataset(table)


class TabularCSV(_TabularFormat, CSV):
    pass


class TabularXLSX(_TabularFormat, XLSX):
    pass


def dataset_with_header(dataset: tablib.Dataset, *, is_header, minimum: int = 2) -> tablib.Dataset:
    """The dataset re-headed on its real header row when title rows sit above it."""
    table = getattr(dataset, "table", None)
    if table is None:
        return dataset
    known = sum(1 for cell in dataset.headers or [] if is_header(cell))
    if known >= minimum:
        return dataset
    try:
        index = locate_header(table, is_header=is_header, minimum=minimum)
    except ValidationError:
        return dataset  # the resource names the unknown columns
    return _dataset(table, index)


def spreadsheet_row(dataset_or_result, number: int) -> int:
    """The spreadsheet row of import-export's row ``number`` (1 = the first data row)."""
    numbers = getattr(dataset_or_result, "row_numbers", None)
    if numbers and 0 < number <= len(numbers):
        return numbers[number - 1]
    return number + 1


class TabularImportMixin:
    """Admin imports read with ``core.tabular``; its refusals shown as they are written."""

    import_formats = [TabularXLSX, TabularCSV]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
            return
        super().add_data_read_fail_error_to_form(form, e)


class ImportTemplateMixin:
    """An import's blank template to download, and its problems listed row by row.

    Set ``blank_template`` (a callable giving the template ``tablib.Dataset``),
    ``blank_template_filename`` (the file name without extension) and
    ``import_problem_list`` (a callable giving ``(row, column, reason)`` for an
    import result). The URL is ``admin:<app>_<model>_import_template``.
    """

    blank_template = None
    blank_template_filename = "import-template"
    import_problem_list = None

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "import-template/<str:file_format>/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            )
        ]
        return urls + super().get_urls()

    def import_template_view(self, request, file_format):
        if not self.has_import_permission(request):
            raise PermissionDenied
        dataset = self.blank_template()
        if file_format == "csv":
            content = "\ufeff" + dataset.export("csv")  # the BOM lets Excel read UTF-8
            content_type = "text/csv; charset=utf-8"
        elif file_format == "xlsx":
            content = dataset.export("xlsx")
            content_type = XLSX.CONTENT_TYPE
        else:
            raise Http404
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.blank_template_filename}.{file_format}"'
        )
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None:
            response.context_data["import_problems"] = self.import_problem_list(result)
        return response
