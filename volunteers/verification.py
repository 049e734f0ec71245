"""Prove a mobile number with a one-time code, without an account.

The code lives in the cache under a hashed key (neither the number nor the
code is stored in clear) for ten minutes and allows five guesses. A code is
only *sent* when some organisation has a volunteer with the number, but the
page answers the same either way, so nobody learns whether a number is known.

No SMS gateway is contracted yet: ``settings.VOLUNTEERS_SMS_BACKEND`` names a
function ``(mobile, text)``. ``locmem_send`` (the default) keeps messages in
:data:`outbox` (tests); ``console_send`` prints them with the number masked
(development). A gateway is one more such function.
"""

import hashlib
import hmac
import re
import secrets
import sys
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from events.models import Participant
from events.validators import normalize_mobile
from federation.validators import mask_phone

CODE_SECONDS = 600
CODE_GUESSES = 5
MOBILE_PATTERN = re.compile(r"^1[3-9][0-9]{9}$")

outbox: list[tuple[str, str]] = []


def locmem_send(mobile: str, text: str) -> None:
    outbox.append((mobile, text))


def console_send(mobile: str, text: str) -> None:
    sys.stdout.write(f"[SMS to {mask_phone(mobile)}] {text}\n")


def clean_mobile(value: str) -> str:
    """NFKC (full-width digits), strip +86/spaces/hyphens; '' when not a mainland mobile."""
    value = normalize_mobile(unicodedata.normalize("NFKC", value or ""))
    return value if MOBILE_PATTERN.match(value) else ""


def _key(mobile: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), mobile.encode(), hashlib.sha256).hexdigest()
    return f"volunteers:code:{digest[:40]}"


def _code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_send(mobile: str) -> None:
    """Send a fresh code when the number belongs to a volunteer; silently nothing otherwise."""
    if not Participant.objects.filter(mobile=mobile, role=Participant.Role.VOLUNTEER).exists():
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(_key(mobile), {"code": _code_hash(code), "guesses": 0}, timeout=CODE_SECONDS)
    send = import_string(getattr(settings, "VOLUNTEERS_SMS_BACKEND", f"{__name__}.locmem_send"))
    send(
        mobile,
        _("Your verification code for the volunteer service record is %(code)s (10 minutes).")
        % {"code": code},
    )


def code_check(mobile: str, code: str) -> bool:
    """True once for the right code; a wrong guess counts, five end the code."""
    key = _key(mobile)
    stored = cache.get(key)
    if not stored:
        return False
    if hmac.compare_digest(stored["code"], _code_hash((code or "").strip())):
        cache.delete(key)
        return True
    stored["guesses"] += 1
    if stored["guesses"] >= CODE_GUESSES:
        cache.delete(key)
    else:
        cache.set(key, stored, timeout=CODE_SECONDS)
    return False
