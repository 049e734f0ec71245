from django.utils import timezone
from django.views.generic import TemplateView

from .. import selectors


class CaravanPublicView(TemplateView):
    """``/caravan/``: this month's and next month's caravans, open posts, running totals."""

    template_name = "caravan/caravan_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            nav_current="caravan",
            caravans=selectors.caravan_list_public(today=timezone.localdate()),
            totals=selectors.totals_since_start(),
            can_manage=self.request.user.has_perm("caravan.manage_caravan"),
        )
        return context
