"""Pinyin keys for Chinese names: sorting the directory and searching by initials.

Each name is converted once: pypinyin's first-letter style is the first
letter of its toneless syllable, and text that is not Chinese (Latin words,
digits) passes through whole in both, so the initials come from the same
conversion as the full pinyin (an import computes thousands of these).
"""

import re
from functools import lru_cache

_KEEP = re.compile(r"[^0-9a-z]+")
_PASSED = "\x00"  # marks what pypinyin passed through unconverted


@lru_cache(maxsize=1)
def _pinyin():
    """pypinyin, loaded by the first name converted: its dictionaries take ~55 MB, which
    a web worker that only reads pages never needs."""
    from pypinyin import Style
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin

    class RememberingConverter(_RememberingMixin, DefaultConverter):
        pass

    return Pinyin(converter=RememberingConverter()), Style


class _RememberingMixin:
    """For pypinyin's converter (mixed in by ``_pinyin``): remember each segment converted.

    Names repeat their segments (上海市, 静安区, 服务中心 …), and converting
    one is most of pypinyin's work; the segmentation itself still runs per name.
    """

    LIMIT = 50_000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._done: dict[tuple, list[list[str]]] = {}

    def convert(self, words, style, heteronym, errors, strict, **kwargs):
        if kwargs:
            return super().convert(words, style, heteronym, errors, strict, **kwargs)
        key = (words, style, heteronym, errors, strict)
        found = self._done.get(key)
        if found is None:
            if len(self._done) >= self.LIMIT:
                self._done.clear()
            found = self._done[key] = super().convert(words, style, heteronym, errors, strict)
        return [list(syllables) for syllables in found]


def _mark_passed(chars: str) -> str:
    return _PASSED + chars


@lru_cache(maxsize=8192)  # an import converts each name for its slug and again for its keys
def _keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``text`` from one conversion."""
    full, initials = [], []
    converter, Style = _pinyin()
    for part in converter.lazy_pinyin(text or "", style=Style.NORMAL, errors=_mark_passed):
        if part.startswith(_PASSED):
            part = initial = part[len(_PASSED) :]
        else:
            initial = part[:1]
        full.append(part)
        initials.append(initial)
    # Lower case and the filter work character by character: once for the whole name.
    return _KEEP.sub("", "".join(full).lower()), _KEEP.sub("", "".join(initials).lower())


def pinyin_full(text: str) -> str:
    """``静安社联`` -> ``jinganshelian``: toneless syllables, letters and digits only."""
    return _keys(text)[0]


def pinyin_initials(text: str) -> str:
    """``静安社联`` -> ``jasl``; Latin words and digits are kept whole (``SWS户外`` -> ``swshw``)."""
    return _keys(text)[1]


def pinyin_name_keys(*names: str) -> tuple[str, str]:
    """The first name's full pinyin and the search text of all (each name converted once)."""
    keys: list[str] = []
    first = ""
    for index, name in enumerate(names):
        if not name:
            continue
        full, initials = _keys(name)
        if index == 0:
            first = full
        for key in (initials, full):
            if key and key not in keys:
                keys.append(key)
    return first, " ".join(keys)


def pinyin_search_text(*names: str) -> str:
    """Initials and full pinyin of each name, space separated, for ``contains`` search."""
    return pinyin_name_keys(*names)[1]


def search_key(query: str) -> str:
    """A user's query in the form the search text is stored in (lower case, no spaces)."""
    return _KEEP.sub("", (query or "").lower())
