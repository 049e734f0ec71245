"""Pinyin keys for Chinese names: sorting the directory and searching by initials."""

import re

from pypinyin import Style, lazy_pinyin

_KEEP = re.compile(r"[^0-9a-z]+")


def _syllables(text: str, style: Style) -> list[str]:
    parts = lazy_pinyin(text or "", style=style, errors="default")
    return [_KEEP.sub("", part.lower()) for part in parts]


def pinyin_full(text: str) -> str:
    """``静安社联`` -> ``jinganshelian``: toneless syllables, letters and digits only."""
    return "".join(_syllables(text, Style.NORMAL))


def pinyin_initials(text: str) -> str:
    """``静安社联`` -> ``jasl``; Latin words and digits are kept whole (``SWS户外`` -> ``swshw``)."""
    return "".join(_syllables(text, Style.FIRST_LETTER))


def pinyin_search_text(*names: str) -> str:
    """Initials and full pinyin of each name, space separated, for ``contains`` search."""
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        for key in (pinyin_initials(name), pinyin_full(name)):
            if key and key not in keys:
                keys.append(key)
    return " ".join(keys)


def search_key(query: str) -> str:
    """A user's query in the form the search text is stored in (lower case, no spaces)."""
    return _KEEP.sub("", (query or "").lower())
