"""Absolute links for e-mails, PDFs and QR codes: one join of SITE_URL and a path."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``SITE_URL`` + ``path`` (no double slash); empty for an empty path."""
    if not path:
        return ""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
