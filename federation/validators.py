"""Field validators and normalisers for the registry (phones, logos, credit codes)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.tabular import normalise_text

from .creditcode import normalise_credit_code, validate_credit_code

__all__ = [
    "LOGO_MAX_BYTES",
    "mask_phone",
    "normalise_credit_code",
    "normalise_phone",
    "validate_credit_code",
    "validate_logo",
    "validate_phone",
]

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 2000
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}

# [0-9], never \d: \d also matches full-width and other scripts' digits.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_SHANGHAI_LANDLINE = re.compile(r"^021([0-9]{8})$")
_PHONE_NOISE = re.compile(r"[\s\u3000\-‐‑–—()（）]+")


def normalise_phone(value: str | None) -> str:
    """``13812345678`` for a mobile, ``021-12345678`` for a Shanghai landline.

    Full-width characters are folded first (NFKC: ``１３９`` → ``139``); spaces,
    hyphens, brackets and a +86 / 0086 prefix are dropped; anything else is
    returned stripped so the validator can refuse it.
    """
    if not value:
        return ""
    value = normalise_text(value)
    digits = _PHONE_NOISE.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if _MOBILE.match(digits):
        return digits
    if not digits.startswith("0") and len(digits) == 10 and digits.startswith("21"):
        digits = "0" + digits  # +86 21 1234 5678 loses the trunk zero
    match = _SHANGHAI_LANDLINE.match(digits)
    if match:
        return f"021-{match.group(1)}"
    return str(value).strip()


def validate_phone(value: str) -> None:
    """A Chinese mobile number or a Shanghai landline (021 + 8 digits)."""
    if not value:
        return
    normalised = normalise_phone(value)
    if _MOBILE.match(normalised) or re.match(r"^021-[0-9]{8}$", normalised):
        return
    raise ValidationError(
        _(
            "Enter a mobile number (11 digits starting with 1) or a Shanghai landline (021 + 8 digits)."
        ),
        code="phone_invalid",
    )


def mask_phone(value: str) -> str:
    """138****5678 / 021-****5678: enough to recognise, not enough to call."""
    if not value:
        return ""
    if _MOBILE.match(value):
        return f"{value[:3]}****{value[-4:]}"
    if value.startswith("021-") and len(value) == 12:
        return f"021-****{value[-4:]}"
    return "****"


def validate_logo(file) -> None:
    """An image Pillow can read (PNG, JPEG, WebP or GIF), at most 1 MB and 2000 px."""
    if not file or getattr(file, "_committed", False):
        return  # an already stored logo was checked when it was uploaded
    size = getattr(file, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s KB; at most %(limit)s KB is allowed."),
            code="logo_too_large",
            params={"size": size // 1024, "limit": LOGO_MAX_BYTES // 1024},
        )
    from PIL import Image, UnidentifiedImageError

    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The logo is not an image file we can read (use PNG, JPEG, WebP or GIF)."),
            code="logo_not_image",
        ) from exc
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo is not an image file we can read (use PNG, JPEG, WebP or GIF)."),
            code="logo_not_image",
        )
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is %(width)s×%(height)s pixels; at most %(limit)s pixels a side."),
            code="logo_too_large",
            params={"width": width, "height": height, "limit": LOGO_MAX_PIXELS},
        )
