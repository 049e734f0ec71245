"""Request middleware: the portal's language (the MFA rule is in portal.middleware)."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from core.language import chosen_language


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """简体中文 unless the visitor chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, so a
    Shanghai volunteer on an English-language phone would land on English
    pages. Here only an explicit choice (the language cookie that
    ``set_language`` writes) changes the language.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
