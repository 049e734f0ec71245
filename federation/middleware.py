"""Request middleware: the portal's language (the MFA rule is in portal.middleware)."""

from contextlib import suppress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
