"""Admin building blocks shared by every app's back office."""

from django.contrib.admin.options import csrf_protect_m


class ServiceSavedAdminMixin:
    """For a ModelAdmin whose ``save_model`` calls a durable service.

    Django's ``changeform_view`` wraps the whole view in ``transaction.atomic``,
    and a durable service refuses to run nested; the service owns the
    transaction instead, so nothing is half-written either way.
    """

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._changeform_view(request, object_id, form_url, extra_context)
