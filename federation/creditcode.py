"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015) checks.

18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z).
Position 18 is the GB 32100 check character over positions 1-17: a wrong one
is an error. Positions 9-17 are the organisation code (GB 11714), whose own
check character is position 17: some early pilot codes fail it although they
are real, so a wrong position 17 is only a *warning* that staff may override.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
# w_i = 3^(i-1) mod 31 for i = 1..17
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# Civil-affairs category (position 2) for each legal form that has one.
CIVIL_AFFAIRS_CATEGORY = {"social_group": "1", "service_agency": "2", "foundation": "3"}

_SEPARATORS = re.compile(r"[\s\u3000\-‐‑–—_.·]+")
_FULL_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # ０-９Ａ-Ｚａ-ｚ
)


def normalise_credit_code(value: str | None) -> str:
    """Upper case, full-width characters folded, spaces and hyphens removed."""
    if not value:
        return ""
    return _SEPARATORS.sub("", str(value).translate(_FULL_WIDTH)).upper()


@lru_cache(maxsize=8192)  # an import checks each code four times
def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters."""
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_code_value(char: str) -> int:
    # GB 11714: digits are themselves, letters A=10 ... Z=35 (the full Latin alphabet).
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


@lru_cache(maxsize=8192)
def organisation_code_check_character(first8: str) -> str:
    """The GB 11714 check character (position 17 of a credit code) for 8 characters."""
    total = sum(
        _org_code_value(char) * weight
        for char, weight in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    if remainder == 10:
        return "X"
    if remainder == 11:
        return "0"
    return str(remainder)


def make_credit_code(first16: str) -> str:
    """Complete 16 characters with both check characters (for demo and test codes)."""
    first17 = first16 + organisation_code_check_character(first16[8:16])
    return first17 + credit_code_check_character(first17)


@dataclass
class CreditCodeCheck:
    """The outcome of checking one code: hard errors and overridable warnings."""

    code: str
    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[ValidationError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def check_credit_code(value: str | None) -> CreditCodeCheck:
    """Normalise ``value`` and report what is wrong with it."""
    code = normalise_credit_code(value)
    result = CreditCodeCheck(code=code)
    if len(code) != 18:
        result.errors.append(
            ValidationError(
                _("A unified social credit code has 18 characters; this one has %(count)d."),
                code="credit_code_length",
                params={"count": len(code)},
            )
        )
        return result
    # A wrong last character is a checksum error whatever it is (e.g. the
    # standard's misprint ...Y4Z); letters outside the set earlier are typos.
    bad = sorted({char for char in code[:17] if char not in VALUES})
    if bad:
        result.errors.append(
            ValidationError(
                _(
                    "The credit code contains %(characters)s; only digits and the letters "
                    "A-Z without I, O, S, V and Z are used."
                ),
                code="credit_code_characters",
                params={"characters": "".join(bad)},
            )
        )
        return result
    if code[17] not in VALUES or credit_code_check_character(code[:17]) != code[17]:
        result.errors.append(
            ValidationError(
                _(
                    "The last character of the credit code does not match its check "
                    "character: please check the code for typing errors."
                ),
                code="credit_code_checksum",
            )
        )
        return result
    if organisation_code_check_character(code[8:16]) != code[16]:
        result.warnings.append(
            ValidationError(
                _(
                    "The 17th character of the credit code fails the organisation-code "
                    "check. Some early codes are real although they fail it: staff may "
                    "accept it after comparing with the registration certificate."
                ),
                code="credit_code_check_warning",
            )
        )
    return result


def validate_credit_code(value: str) -> None:
    """Django validator: raise for hard errors only (the position-17 warning passes)."""
    if not value:
        return
    result = check_credit_code(value)
    if result.errors:
        raise result.errors[0]


def credit_code_has_warning(value: str) -> bool:
    """True when ``value`` is a valid code that fails only the position-17 check."""
    if not value:
        return False
    result = check_credit_code(value)
    return result.is_valid and bool(result.warnings)


def credit_code_category_matches(code: str, legal_form: str) -> bool:
    """False when a civil-affairs code (5x...) names another legal form than ``legal_form``."""
    if len(code) < 2 or code[0] != "5" or legal_form not in CIVIL_AFFAIRS_CATEGORY:
        return True
    if code[1] not in CIVIL_AFFAIRS_CATEGORY.values():
        return True
    return CIVIL_AFFAIRS_CATEGORY[legal_form] == code[1]
