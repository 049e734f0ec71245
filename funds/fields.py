"""Model fields for money: the ORM refuses floats, so a float can't slip into the ledger."""

from django.db import models


class StrictDecimalField(models.DecimalField):
    """A DecimalField whose ``to_python`` raises TypeError for a float."""

    def to_python(self, value):
        if isinstance(value, float):
            raise TypeError(f"{self.name}: a float is refused; use Decimal.")
        return super().to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, float):
            raise TypeError(f"{self.name}: a float is refused; use Decimal.")
        return super().get_prep_value(value)


class MoneyField(StrictDecimalField):
    """Yuan with two places: ``DecimalField(max_digits=14, decimal_places=2)``, no floats."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)
