"""Absolute links for e-mails, PDFs and QR codes: one join of SITE_URL and a path."""

from django.conf import settings


def site_root() -> str:
    """``SITE_URL`` without a trailing slash: the site itself, for templates."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``SITE_URL`` + ``path`` (no double slash); empty for an empty path."""
    if not path:
        return ""
    return site_root() + "/" + path.lstrip("/")
