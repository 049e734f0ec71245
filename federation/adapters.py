"""django-allauth hooks: the only place the portal customises allauth."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from core.clientip import client_ip

from . import selectors


@dataclass(frozen=True)
class _Site:
    """What allauth's mails call ``current_site``: the federation, not the request's host."""

    name: str
    domain: str
    url: str


def site() -> _Site:
    url = settings.SITE_URL.rstrip("/") + "/"
    return _Site(name=str(settings.YILU_SITE_NAME), domain=urlsplit(url).netloc, url=url)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        return super().send_mail(template_prefix, email, {**context, "current_site": site()})

    def save_user(self, request, user, form, commit=True):
        # Remember the language the person signed up in: e-mails follow it.
        language = translation.get_language_from_request(request) if request else None
        if language in {"zh-hans", "en"}:
            user.language = language
        # The sign-up form (federation.account_forms.SignupForm) asks the name.
        name = " ".join((getattr(form, "cleaned_data", {}).get("name") or "").split())
        if name:
            user.name = name[:100]
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # Someone with no organisation yet (a new sign-up, just verified) lands
        # on /my/, which offers to apply for membership or shows invitations.
        user = request.user
        if not user.is_staff and not selectors.organisation_list_for_user(user=user).exists():
            return reverse("federation:my-home")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        # allauth would trust the last X-Forwarded-For entry from any connection;
        # we read it only from our own proxies (core.clientip).
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
