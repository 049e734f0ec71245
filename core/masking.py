"""Names shown where others can read them: 张* / 张*明 (public pages, check-in screens)."""

import re
import unicodedata


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY"))


def mask_person_name(name: str) -> str:
    """Keep the first and (from three characters on) the last character: 张* / 张*明 / 欧**娜.

    A Latin name keeps only its first letter (``J***``); an empty name stays empty. A
    trailing note in brackets (``刘思远（虚构）``) is kept after the masked name.
    """
    name = "".join(name.split())
    note = ""
    match = _NOTE.search(name)
    if match and match.start() > 0:
        name, note = name[: match.start()], match.group(0)
    if not name:
        return ""
    return _mask(name) + note


_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def _mask(name: str) -> str:
    if not all(_is_cjk(char) or char in "·•" for char in name):
        return name[0] + "***"
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
