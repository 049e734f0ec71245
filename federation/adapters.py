"""django-allauth hooks: the only place the portal customises allauth."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Remember the language the person signed up in: e-mails follow it.
        language = translation.get_language_from_request(request) if request else None
        if language in {"zh-hans", "en"}:
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        # allauth would trust the last X-Forwarded-For entry from any connection;
        # we read it only from our own proxies (core.clientip).
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
