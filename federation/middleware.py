"""Request middleware: the portal's language and the back office's MFA rule."""

from contextlib import suppress

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _


class StaffMfaRequiredMiddleware:
    """With ``YILU_STAFF_REQUIRE_MFA``, staff reach the back office only after
    setting up two-factor authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.YILU_STAFF_REQUIRE_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request, _("Set up two-factor authentication before using the back office.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """简体中文 unless the visitor chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, so a
    Shanghai volunteer on an English-language phone would land on English
    pages. Here only an explicit choice (the language cookie that
    ``set_language`` writes) changes the language.
    """

    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            with suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
