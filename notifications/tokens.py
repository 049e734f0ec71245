"""Signed unsubscribe tokens: who (account id or address) and which kind."""

from django.core import signing

_SALT = "notifications.unsubscribe"


def unsubscribe_token_make(*, kind: str, recipient_id: int | None, email: str = "") -> str:
    payload = {"k": kind, "u": recipient_id} if recipient_id else {"k": kind, "a": email.lower()}
    return signing.dumps(payload, salt=_SALT, compress=True)


def unsubscribe_token_read(token: str) -> dict:
    """Return ``{"kind", "recipient_id", "email"}``; raise ``signing.BadSignature`` if forged."""
    payload = signing.loads(token, salt=_SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        raise signing.BadSignature("malformed unsubscribe token")
    return {"kind": payload["k"], "recipient_id": payload.get("u"), "email": payload.get("a", "")}
