"""Spreadsheet safety shared by every export (OWASP CSV/formula injection)."""

# Text a spreadsheet would run as a formula when it starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """``=cmd|...`` -> ``'=cmd|...``: a spreadsheet shows the text instead of running it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo :func:`escape_formula` on a cell read back from our own export."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
