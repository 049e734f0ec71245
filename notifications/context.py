"""JSON encoding of message contexts: datetime, date and Decimal survive the round trip."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

_TAG = "__yilu__"


def context_encode(value: Any) -> Any:
    """Return a JSON-able copy of ``value``; refuses naive datetimes and unknown types."""
    if isinstance(value, dict):
        return {str(key): context_encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_encode(item) for item in value]
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ValueError("Message context datetimes must be aware.")
        return {_TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {_TAG: "date", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "value": str(value)}
    raise TypeError(
        f"Message context values must be JSON-able, datetime, date or Decimal, "
        f"not {type(value).__name__}."
    )


def context_decode(value: Any) -> Any:
    """Inverse of ``context_encode``."""
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag == "datetime":
            return datetime.datetime.fromisoformat(value["value"])
        if tag == "date":
            return datetime.date.fromisoformat(value["value"])
        if tag == "decimal":
            return Decimal(value["value"])
        return {key: context_decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [context_decode(item) for item in value]
    return value
