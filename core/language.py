"""The visitor's language: 简体中文 unless they chose another one with the switcher."""

from contextlib import suppress

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The site's language (简体中文), or the one the language cookie names when supported.

    Only an explicit choice counts (the cookie ``set_language`` writes), never the
    browser's Accept-Language: a Shanghai volunteer on an English-language phone reads
    Chinese pages until they switch.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        with suppress(LookupError):
            return translation.get_supported_language_variant(chosen)
    return settings.LANGUAGE_CODE
