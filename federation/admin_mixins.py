"""Moved to ``core.admin``; this name stays only for branches written before the move."""

from core.admin import ServiceSavedAdminMixin

__all__ = ["ServiceSavedAdminMixin"]
