"""``/fund/partners/``: the fund's partners (护芽伙伴) and what they gave, as disclosed."""

from django.views.generic import TemplateView

from core.pagecache import PublicPageCacheMixin

from .. import selectors
from ..selectors_partners import partner_list_public


class PartnerListView(PublicPageCacheMixin, TemplateView):
    page_cache_namespaces = ("funds", "organisations")

    template_name = "funds/partner_list.html"

    def get_context_data(self, **kwargs):
        fund = selectors.fund_get_public()
        kwargs.update(nav_current="fund", fund=fund, partner_rows=partner_list_public(fund=fund))
        return super().get_context_data(**kwargs)
