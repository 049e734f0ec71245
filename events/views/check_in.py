"""Check-in at the door: the list of events, and one event's scanner, code entry and search.

A check-in answers with a panel (green: checked in; amber: already checked in;
red: refused) that the in-page scanner (``static/events/check_in.js``) asks for as
a fragment and shows in place; without JavaScript the same panel follows the
redirect through the session.
"""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from federation.rules import user_is_federation_staff

from .. import selectors, services
from ..forms import CheckInSearchForm
from ..models import Registration
from ._common import NavEventsMixin
from .attendance import AttendanceMixin

PANEL_SESSION_KEY = "events_check_in_panel"
# The scanner's requests ask for the panel alone with this header.
FRAGMENT_HEADER = "X-Yilu-Check-In"


class CheckInIndexView(LoginRequiredMixin, NavEventsMixin, ListView):
    """Events the user may check people in for, today's first; 404 unless staff or a secretary."""

    template_name = "events/check_in_index.html"
    context_object_name = "events"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            user_is_federation_staff(request.user)
            or selectors.alliance_list_for_secretary(user=request.user).exists()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.event_list_for_attendance(user=self.request.user)


class CheckInView(AttendanceMixin, TemplateView):
    """Scan a QR or type a ticket code: checked in at once. Or search by name / last four digits."""

    template_name = "events/check_in.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q") or self.request.GET.get("token") or ""
        form = CheckInSearchForm(initial={"q": query})
        return super().get_context_data(
            form=form,
            query=query,
            results=selectors.registration_search_for_check_in(event=self.event, query=query),
            attended_count=self._attended(),
            panel=self.request.session.pop(PANEL_SESSION_KEY, None),
            **kwargs,
        )

    def _attended(self) -> int:
        return self.event.registrations.filter(status=Registration.Status.ATTENDED).count()

    def post(self, request, slug):
        value = request.POST.get("q", "")
        if request.POST.get("registration", "").isdigit():
            registration = selectors.registration_get_for_check_in(
                event=self.event, pk=int(request.POST["registration"])
            )
            lookup = selectors.CheckInLookup(registration, is_ticket=True)
        else:
            lookup = selectors.registration_find_for_check_in(event=self.event, value=value)
        url = reverse("events:check-in", kwargs={"slug": slug})
        if lookup.registration is None and value.strip() and not lookup.is_ticket:
            # Not a ticket: show the name / digits search instead (never the CSRF token).
            return HttpResponseRedirect(f"{url}?{urlencode({'q': value})}")
        if (
            lookup.registration is None
            and lookup.other_event is None
            and (selectors.registration_search_for_check_in(event=self.event, query=value))
        ):
            # Looked like a code but is a name (e.g. six Latin letters).
            return HttpResponseRedirect(f"{url}?{urlencode({'q': value})}")
        panel = services.registration_check_in_from_entry(
            lookup=lookup, value=value, acting_user=request.user
        ).panel()
        if request.headers.get(FRAGMENT_HEADER) == "fragment":
            context = {"panel": panel, "event": self.event, "attended_count": self._attended()}
            return render(request, "events/includes/check_in_panel.html", context)
        request.session[PANEL_SESSION_KEY] = panel
        return HttpResponseRedirect(url)
