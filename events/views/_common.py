"""What every events page shares."""


class NavEventsMixin:
    nav_current = "events"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", self.nav_current)
        return super().get_context_data(**kwargs)
