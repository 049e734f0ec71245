"""``/streets/hub/events/…``: the hub's own events and check-in at events in its street."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors, error_text
from core.pagination import LenientPaginationMixin
from events.selectors import registration_find_for_check_in, registration_search_for_check_in
from events.selectors_hubs import (
    event_get_for_street_check_in,
    event_list_for_hub,
    hub_event_get_for_hub,
    registration_get_for_street_event,
)
from events.services import hub_events as services
from events.services import registration_check_in, registration_check_in_from_entry

from ..forms import CheckInSearchForm, HubEventForm
from .hub import HubStaffMixin


class HubEventListView(HubStaffMixin, LenientPaginationMixin, ListView):
    template_name = "streets/hub_event_list.html"
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        return event_list_for_hub(hub=self.hub)


class HubEventCreateView(HubStaffMixin, FormView):
    template_name = "streets/hub_event_form.html"
    form_class = HubEventForm
    event = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.event is not None:
            kwargs["instance"] = self.event
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("event", self.event)
        return super().get_context_data(**kwargs)

    def save(self, data):
        return services.hub_event_create(hub=self.hub, acting_user=self.request.user, **data)

    def form_valid(self, form):
        try:
            event = self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The draft “%(title)s” was saved; submit it when it is ready.")
            % {"title": event.title},
        )
        return HttpResponseRedirect(reverse("streets:hub-event-list"))


class HubEventUpdateView(HubEventCreateView):
    def get_form_kwargs(self):
        # The hub's own event only (404 otherwise), loaded before the form is built.
        self.event = hub_event_get_for_hub(hub=self.hub, pk=self.kwargs["pk"])
        return super().get_form_kwargs()

    def save(self, data):
        # The form changed its instance in memory; the service edits a freshly locked row.
        fresh = hub_event_get_for_hub(hub=self.hub, pk=self.kwargs["pk"])
        return services.hub_event_update(event=fresh, acting_user=self.request.user, **data)


class HubEventSubmitView(HubStaffMixin, View):
    """POST: publish, or send for the federation's approval (the hub's setting decides)."""

    def post(self, request, *args, **kwargs):
        event = hub_event_get_for_hub(hub=self.hub, pk=kwargs["pk"])
        try:
            event = services.hub_event_submit(event=event, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if event.status == event.Status.PUBLISHED:
                messages.success(request, _("The event is published."))
            else:
                messages.success(request, _("The event waits for the federation's approval."))
        return HttpResponseRedirect(reverse("streets:hub-event-list"))


class StreetCheckInView(HubStaffMixin, TemplateView):
    """Check people in at an event held in the hub's street: scan or type a ticket code
    (checked in at once, with the result panel), or search, then one click each."""

    template_name = "streets/check_in.html"
    panel_session_key = "streets_check_in_panel"

    def get_context_data(self, **kwargs):
        event = event_get_for_street_check_in(hub=self.hub, slug=self.kwargs["slug"])
        form = CheckInSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return super().get_context_data(
            event=event,
            form=form,
            query=query,
            results=registration_search_for_check_in(event=event, query=query),
            panel=self.request.session.pop(self.panel_session_key, None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        event = event_get_for_street_check_in(hub=self.hub, slug=kwargs["slug"])
        url = reverse("streets:hub-check-in", kwargs={"slug": event.slug})
        if "registration" not in request.POST:
            return self._check_in_ticket(request, event, url)
        try:
            pk = int(request.POST.get("registration", ""))
        except ValueError:
            pk = 0
        registration = registration_get_for_street_event(event=event, pk=pk)
        try:
            result = registration_check_in(registration=registration, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if result.already_checked_in:
                messages.info(
                    request, _("%(name)s was already checked in.") % {"name": registration.name}
                )
            else:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.name}
                )
        query = request.POST.get("q", "")
        return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}" if query else url)

    def _check_in_ticket(self, request, event, url):
        """A scanned or typed ticket: checked in at once; anything else is a search."""
        value = request.POST.get("q", "")
        lookup = registration_find_for_check_in(event=event, value=value)
        not_a_ticket = lookup.registration is None and lookup.other_event is None
        if (
            not_a_ticket
            and value.strip()
            and (not lookup.is_ticket or registration_search_for_check_in(event=event, query=value))
        ):
            return HttpResponseRedirect(f"{url}?{urlencode({'q': value})}")
        panel = registration_check_in_from_entry(
            lookup=lookup, value=value, acting_user=request.user
        ).panel()
        if request.headers.get("X-Yilu-Check-In") == "fragment":
            return render(request, "events/includes/check_in_panel.html", {"panel": panel})
        request.session[self.panel_session_key] = panel
        return HttpResponseRedirect(url)
