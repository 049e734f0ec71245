from functools import cached_property

from .menu import has_workbench


class _LazyWorkbench:
    """Asked only when a template uses it, so pages without a header query nothing."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def shown(self) -> bool:
        return has_workbench(self._user)


def work_menu(request):
    return {"workbench": _LazyWorkbench(getattr(request, "user", None))}
