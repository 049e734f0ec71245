"""Admin building blocks shared by every app's back office."""

from django.contrib import messages
from django.contrib.admin.options import csrf_protect_m
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .forms import error_text


class ReadOnlyAdminMixin:
    """History and ledger rows: shown, never added, changed or deleted here.

    For a ``ModelAdmin`` or an inline (an inline's ``has_add_permission`` takes ``obj``)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceOwnedAdminMixin:
    """Rows that services create and end: editable here, never added or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceSavedAdminMixin:
    """For a ModelAdmin whose ``save_model`` calls a durable service.

    Django's ``changeform_view`` wraps the whole view in ``transaction.atomic``,
    and a durable service refuses to run nested; the service owns the
    transaction instead, so nothing is half-written either way.
    """

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._changeform_view(request, object_id, form_url, extra_context)


class ServiceActionAdminMixin:
    """Admin actions that call one service per selected row, in primary-key order."""

    def each_row(self, request, queryset, action, done_message, *, label=str, refused_level=None):
        """``action(row)`` for every row; a refusal is reported per row (``label(row)``: the
        reason) and the others go on; ``done_message % {"count": n}`` for the rest."""
        refused_level = messages.ERROR if refused_level is None else refused_level
        done = 0
        for row in queryset.order_by("pk"):
            try:
                action(row)
            except ValidationError as error:
                self.message_user(request, f"{label(row)}: {error_text(error)}", refused_level)
            except PermissionDenied:
                self.message_user(
                    request, _("%(item)s: not allowed.") % {"item": label(row)}, refused_level
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        return done
