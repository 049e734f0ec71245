"""Links from a figure to the filtered list behind it (back-office change lists)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from .registry import Filters


def changelist(model: str, **params) -> str:
    """``/admin/<app>/<model>/?params`` (``model`` as ``"events.event"``); empty values dropped."""
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def street_param(filters: Filters, name: str = "street__id__exact") -> dict:
    return {name: filters.street.pk} if filters.street is not None else {}


def month_labels() -> list[str]:
    """Short month names for tables ("一月" in Chinese, "Jan" in English)."""
    return [str(MONTHS_3[month]) for month in range(1, 13)]


def events_in_month(filters: Filters, month: int, **extra) -> str:
    return changelist(
        "events.event",
        starts_at__year=filters.year,
        starts_at__month=month,
        **street_param(filters),
        **extra,
    )


def month_axis() -> dict:
    """Chart keywords for a January-to-December axis: numbers under a "month" title."""
    return {"x_labels": [str(month) for month in range(1, 13)], "x_title": _("Month")}
