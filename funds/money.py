"""Money in yuan: ``Decimal`` with two places. A float is refused wherever money enters."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: object, *, allow_zero: bool = False) -> Decimal:
    """``value`` as yuan with two places; TypeError for a float, ValidationError when invalid.

    Strings and ints are accepted (forms and spreadsheets give strings); more
    than two decimal places is refused rather than silently rounded.
    """
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal, never a float.")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"Money must be a Decimal, not {type(value).__name__}.")
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(_("Enter an amount in yuan."), code="invalid_amount") from None
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount in yuan."), code="invalid_amount")
    if amount != amount.quantize(CENT):
        raise ValidationError(
            _("An amount has at most two decimal places (fen)."), code="too_many_decimals"
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    return amount.quantize(CENT)


def round_fen(value: Decimal) -> Decimal:
    """Round half-up to the fen (¥1,234.565 → ¥1,234.57)."""
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal, never a float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def charity_sale_proceeds(*, turnover: Decimal, share_percent: Decimal) -> Decimal:
    """The fund's part of a charity sale: turnover × share %, rounded half-up to the fen."""
    for value in (turnover, share_percent):
        if isinstance(value, float):
            raise TypeError("Money must be a Decimal, never a float.")
    return round_fen(Decimal(turnover) * Decimal(share_percent) / Decimal(100))


def format_yuan(value: Decimal) -> str:
    """``¥36,000.00``: for letters, charts and exports (templates use the same shape)."""
    return f"¥{Decimal(value).quantize(CENT):,}"
