"""The header's link to ``/streets/hub/``, worked out once at login, not on every page.

At login (``user_logged_in``) one query asks whether the person works for a
street hub; the answer stays in the session (``HUB_SESSION_KEY``) and the
header reads it from there, so pages cost no query for anyone. A person made
hub staff while logged in sees the link from their next login (or at once,
after opening ``/streets/hub/``, which sets it too).
"""

from federation.selectors_hubs import hub_get_for_user

HUB_SESSION_KEY = "yilu_hub_staff"


def remember_hub_staff(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: note in the session whether ``user`` is hub staff."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if hub_get_for_user(user=user) is not None:
        session[HUB_SESSION_KEY] = True
    else:
        session.pop(HUB_SESSION_KEY, None)


def mark_hub_staff(request) -> None:
    """Set the flag on a hub page (already known to be hub staff there: no query)."""
    if not request.session.get(HUB_SESSION_KEY):
        request.session[HUB_SESSION_KEY] = True
