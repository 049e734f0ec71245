"""The work menu: each app registers the staff tools its roles use.

The workbench (``/work/``, linked from the header for staff and alliance
secretaries) lists every page a role may use beyond the public ones, so no
tool is reached only by typing its address: menu, workbench, tool. Apps register items
from their ``AppConfig.ready()``::

    from core.menu import register_work_item
    register_work_item(_("Check-in"), "events:check-in-index", visible=can_check_in, order=10)

``visible(user)`` answers for an authenticated user; keep it to a permission
check or one cached query. ``core.context_processors.work_menu`` gives the
header whether to link the workbench (no query for staff, one cached query
for others, as the header always had); the items are worked out on the
workbench page only.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkItem:
    title: str | Promise
    url_name: str
    visible: Callable[..., bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[WorkItem] = []
_WORKERS: list[Callable[..., bool]] = []


def register_work_item(
    title: str | Promise, url_name: str, *, visible: Callable[..., bool], order: int = 100
) -> None:
    """Add a link to the work menu (once per URL name)."""
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(WorkItem(title, url_name, visible, order))
    _ITEMS.sort(key=lambda item: (item.order, item.url_name))


def register_worker(check: Callable[..., bool]) -> None:
    """Who besides staff has a workbench (e.g. alliance secretaries); one cached query at most."""
    if check not in _WORKERS:
        _WORKERS.append(check)


def has_workbench(user) -> bool:
    """Whether the header shows the workbench link: staff, and whoever a registered check admits."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or any(check(user) for check in _WORKERS)


def work_items_for(user) -> list[WorkItem]:
    """The items ``user`` may open, in menu order (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [item for item in _ITEMS if item.visible(user)]


def rule_permission(name: str) -> Callable[..., bool]:
    """``visible`` for a django-rules permission, asked of the rules alone.

    ``user.has_perm`` would also load the model permissions (two queries on
    every page); the work menu asks only the rules, which superusers pass.
    """

    def visible(user) -> bool:
        return user.is_superuser or rules.has_perm(name, user)

    return visible
