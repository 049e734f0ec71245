"""Auth groups whose membership belongs to a service of a higher app.

The user admin lives in the kernel, but some groups (the fund roles) may only
be given under a rule that the owning app's service enforces. That app
registers its check from ``AppConfig.ready()``::

    register_group_guard(FUND_MANAGERS, fund_role_check)

and the user admin calls :func:`group_membership_check` for every guarded
group it is about to add, so the admin and the service refuse with the same
code and message. A check takes ``user``, ``role`` (the group name),
``acting_user`` and ``is_staff`` (the value about to be saved) as keywords
and raises ``ValidationError``.
"""

from collections.abc import Callable

_GUARDS: dict[str, Callable[..., None]] = {}


def register_group_guard(group_name: str, check: Callable[..., None]) -> None:
    """Let ``check`` decide who may be put into the group ``group_name``."""
    _GUARDS[group_name] = check


def guarded_group_names() -> set[str]:
    return set(_GUARDS)


def group_membership_check(*, user, group_name: str, acting_user, is_staff: bool) -> None:
    """Raise the owning service's ``ValidationError`` if ``user`` may not join the group."""
    check = _GUARDS.get(group_name)
    if check is not None:
        check(user=user, role=group_name, acting_user=acting_user, is_staff=is_staff)
