"""Short check-in codes: six characters a person can read out and staff can type.

The alphabet has no 0/O or 1/I, so nothing on a ticket is ambiguous; 32 symbols
give about a billion codes, unique per event (a database constraint; the
registration service draws again on a collision). Typing is forgiving: case,
spaces, hyphens and full-width characters (NFKC) do not matter, so ``k7p-m3q``,
``K7P M3Q`` and ``Ｋ７Ｐ－Ｍ３Ｑ`` all find ``K7PM3Q``.
"""

import re
import secrets
import unicodedata

CHECK_IN_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CHECK_IN_CODE_LENGTH = 6

# Separators people type or scanners insert between groups.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_·.]+")
_CODE = re.compile(rf"[{CHECK_IN_CODE_ALPHABET}]{{{CHECK_IN_CODE_LENGTH}}}")


def check_in_code_new() -> str:
    """A fresh random code (uniqueness is the caller's: the constraint and a retry)."""
    return "".join(secrets.choice(CHECK_IN_CODE_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def check_in_code_normalise(value: str) -> str:
    """What was typed, as a code would be stored: NFKC, upper case, no separators.

    Returns "" when the result cannot be a check-in code.
    """
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()
    return value if _CODE.fullmatch(value) else ""


def check_in_code_display(code: str) -> str:
    """``K7PM3Q`` → ``K7P-M3Q``: two groups of three are easier to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""
