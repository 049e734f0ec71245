"""Spreadsheet mapping of the organisation registry (django-import-export).

- Columns carry Chinese headers; the English headers (and the field names)
  are accepted as well. Exports and the template use the page's language.
- The natural key is the credit code, or the full name for organisations
  without one.
- Every row is checked first (a dry run that writes nothing); errors name the
  spreadsheet row, the column and the reason in the user's language. Only a
  file without a single error is written, in one transaction, by
  ``services.organisation_import``; rows equal to the registry are skipped,
  so importing the same file twice changes nothing.
- Size (10 MB) and row (2,000) limits; ``.xlsx`` is read by openpyxl, which
  parses through ``defusedxml`` when it is installed (it is).
- Exported text cells starting with ``= + - @``, a tab or a carriage return
  get a leading apostrophe, so a spreadsheet shows them instead of running
  them; the import strips that apostrophe again.
"""

from core.spreadsheets import FORMULA_STARTS, escape_formula

from .organisations import OrganisationResource, import_error_list, import_template_dataset
from .widgets import COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, header_for

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "OrganisationResource",
    "escape_formula",
    "header_for",
    "import_error_list",
    "import_template_dataset",
]
