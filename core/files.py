"""Private files: stored outside MEDIA_ROOT, with unguessable names, served only by views.

Public media (logos, covers, photos) stay under ``MEDIA_ROOT`` at ``/media/``.
Private files (grant attachments) live under ``PRIVATE_MEDIA_ROOT``, which no URL
maps to; a view checks the permission and answers with :func:`private_file_response`
(the file itself, or an ``X-Accel-Redirect`` to an ``internal`` nginx location when
``YILU_PRIVATE_MEDIA_ACCEL_PREFIX`` is set).
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path


class PrivateFileStorage(FileSystemStorage):
    """A file system storage with no URL, rooted at ``PRIVATE_MEDIA_ROOT``."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL: serve them through a view")


def private_storage():
    """The storage of private files (``STORAGES["private"]``); a callable for FileFields."""
    return storages["private"]


def unguessable_name(prefix: str, filename: str) -> str:
    """``<prefix>/<year>/<32 random hex>.<ext>``: the stored name tells nothing."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{prefix}/{timezone.localdate().year}/{secrets.token_hex(16)}{extension}"


def private_file_response(field_file, *, filename: str):
    """The file as a download, or an X-Accel-Redirect for the proxy to send it."""
    prefix = settings.YILU_PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + escape_uri_path(field_file.name)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
        )
        return response
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)
