"""``/streets/`` and ``/streets/<code>/``: the 14 hubs for everyone. No personal data."""

from django.views.generic import TemplateView

from catalogue.selectors import CatalogueFilters, offering_list_public
from core.pagecache import NAMESPACES, PublicPageCacheMixin
from events.selectors_hubs import event_list_upcoming_for_street
from federation.selectors import DirectoryFilters, organisation_list_public
from federation.selectors_hubs import hub_get_for_user, hub_get_public, hub_list_public
from news.selectors import article_list_for_street

from ..selectors import hub_figures

MEMBERS_SHOWN = 12
OFFERINGS_SHOWN = 6


class _StreetsNavMixin:
    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "streets")
        return super().get_context_data(**kwargs)


class HubListView(PublicPageCacheMixin, _StreetsNavMixin, TemplateView):
    page_cache_namespaces = NAMESPACES

    template_name = "streets/hub_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            hubs=list(hub_list_public()),
            own_hub=hub_get_for_user(user=self.request.user),
            **kwargs,
        )


class HubDetailView(PublicPageCacheMixin, _StreetsNavMixin, TemplateView):
    page_cache_namespaces = NAMESPACES

    template_name = "streets/hub_detail.html"

    def get_context_data(self, **kwargs):
        hub = hub_get_public(code=self.kwargs["code"])
        members = organisation_list_public(filters=DirectoryFilters(street=hub.street.code))
        offerings = offering_list_public(filters=CatalogueFilters(street=hub.street.code))
        return super().get_context_data(
            hub=hub,
            members=list(members[:MEMBERS_SHOWN]),
            offerings=list(offerings[:OFFERINGS_SHOWN]),
            events=event_list_upcoming_for_street(street_id=hub.street_id),
            articles=article_list_for_street(street=hub.street),
            figures=hub_figures(hub=hub, public_only=True),
            **kwargs,
        )
