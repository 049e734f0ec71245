"""Mobile numbers as people type them on a phone keyboard set to full width (issue 11)."""

import pytest
from django.core.exceptions import ValidationError

from events.validators import normalize_mobile, validate_mobile


@pytest.mark.parametrize(
    "typed", ["１３９１２３４５６７８", "139１２３４５６７８", "+86 １３９-1234-5678"]
)
def test_full_width_mobiles_are_folded_then_accepted(typed):
    assert normalize_mobile(typed) == "13912345678"
    validate_mobile(normalize_mobile(typed))


def test_digits_of_other_scripts_are_refused():
    with pytest.raises(ValidationError):
        validate_mobile("١٣٩١٢٣٤٥٦٧٨")
