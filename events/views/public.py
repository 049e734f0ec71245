"""Public pages: the list, calendar, detail, iCalendar and feed."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from alliances.models import Alliance
from core.pagecache import PublicPageCacheMixin
from core.pagination import LenientPaginationMixin
from federation.access import current_membership
from federation.models import Organisation

from .. import selectors
from ..forms import (
    EventFilterForm,
    parse_month,
)
from ..ics import calendar_bytes
from ..models import Event
from ._common import NavEventsMixin

# --- Public pages -------------------------------------------------------------------


class EventListView(PublicPageCacheMixin, LenientPaginationMixin, NavEventsMixin, ListView):
    """``/events/``: upcoming published events, filtered, 20 a page."""

    page_cache_namespaces = ("events", "organisations", "alliances", "streets")

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        self.filter_form = EventFilterForm(self.request.GET or None)
        return selectors.event_list_public(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, query_string=query.urlencode())
        return context


class EventCalendarView(PublicPageCacheMixin, NavEventsMixin, TemplateView):
    """``/events/calendar/?month=YYYY-MM``: a month grid of events."""

    page_cache_namespaces = ("events",)

    template_name = "events/event_calendar.html"

    def get_context_data(self, **kwargs):
        month = parse_month(self.request.GET.get("month"), timezone.localdate())
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            month=month,
            weeks=selectors.event_calendar_month(month=month),
            previous_month=previous.strftime("%Y-%m"),
            next_month=following.strftime("%Y-%m"),
            **kwargs,
        )


class EventDetailView(PublicPageCacheMixin, NavEventsMixin, DetailView):
    """``/events/<slug>/``: details, places left, organiser, register buttons, activities."""

    page_cache_namespaces = ("events", "organisations", "alliances", "streets")

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return selectors.event_get_public(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        is_open = event.is_registration_open()
        membership = current_membership(self.request)
        organisation = membership.organisation if membership else None
        members_ok = event.audience == Event.Audience.PUBLIC or (
            organisation is not None and organisation.status == Organisation.Status.ACTIVE
        )
        context.update(
            places_left=selectors.places_left(event),
            registration_open=is_open,
            can_register_participants=is_open and organisation is not None and members_ok,
            can_visitor_signup=(
                is_open and event.visitor_signup and event.audience == Event.Audience.PUBLIC
            ),
            may_check_in=selectors.user_may_manage_attendance(user=self.request.user, event=event),
        )
        return context


class EventIcsView(PublicPageCacheMixin, View):
    """``/events/<slug>.ics``: one event for a calendar app."""

    page_cache_namespaces = ("events", "organisations")

    def get(self, request, slug):
        event = selectors.event_get_public(slug=slug)
        body = calendar_bytes([event], name=event.title)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


class EventFeedView(PublicPageCacheMixin, View):
    """``/events/feed.ics[?alliance=code]``: a subscribable feed."""

    page_cache_namespaces = ("events", "alliances", "organisations")

    def get(self, request):
        code = request.GET.get("alliance", "")
        name = _("Jing'an federation events")
        if code:
            alliance = get_object_or_404(Alliance, code=code)
            name = f"{name} · {alliance.name}"
        body = calendar_bytes(selectors.event_list_feed(alliance_code=code), name=name)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
