from django.utils import timezone
from django.views.generic import TemplateView

from core.pagecache import PublicPageCacheMixin

from .. import selectors


class CaravanPublicView(PublicPageCacheMixin, TemplateView):
    """``/caravan/``: this month's and next month's caravans, open posts, running totals."""

    page_cache_namespaces = ("caravan", "organisations", "streets")

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
