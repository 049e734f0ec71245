"""Field validators: mainland mobile numbers and cover images."""

import re

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.tabular import normalise_text

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # [0-9]: \d matches full-width digits too
COVER_MAX_BYTES = 3 * 1024 * 1024
COVER_MAX_PIXELS = 6000
COVER_FORMATS = {"JPEG", "PNG", "WEBP"}


def normalize_mobile(value: str) -> str:
    """Fold full-width characters (NFKC), strip +86/0086, spaces and hyphens (DOMAIN.md §9);

    the rest is validated.
    """
    value = re.sub(r"[\s\-()]", "", normalise_text(value))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits starting with 1."), code="invalid_mobile"
        )


def validate_cover_image(file) -> None:
    """A real JPEG, PNG or WebP image, at most 3 MB and 6000 px a side."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(file, "size", None)
    if size is not None and size > COVER_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            code="image_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(COVER_MAX_BYTES)},
        )
    try:
        position = file.tell() if hasattr(file, "tell") else None
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
        file.seek(position or 0)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image; this file is not one."), code="image_invalid"
        ) from exc
    if image_format not in COVER_FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image; this file is not one."), code="image_invalid"
        )
    if width > COVER_MAX_PIXELS or height > COVER_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; at most %(max)s a side."),
            code="image_too_big",
            params={"width": width, "height": height, "max": COVER_MAX_PIXELS},
        )
