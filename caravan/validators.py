"""Checks on uploaded qualification scans: by content, never by the file name alone."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCAN_MAX_BYTES = 5 * 1024 * 1024


def validate_scan(file) -> None:
    """A PDF, JPEG or PNG file of at most 5 MB, recognised by its first bytes."""
    size = getattr(file, "size", None)
    if size is not None and size > SCAN_MAX_BYTES:
        raise ValidationError(_("The scan is larger than 5 MB."), code="scan_size")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position or 0)
    if isinstance(head, str):
        head = head.encode()
    if not (
        head.startswith(b"%PDF-")
        or head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
    ):
        raise ValidationError(
            _("Upload the scan as a PDF, JPEG or PNG file; this file is not one."),
            code="scan_content",
        )
