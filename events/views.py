"""HTTP for events: public pages, the organisation area, check-in and secretaries' events."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from alliances.models import Alliance
from core.pagination import LenientPaginationMixin
from federation.access import OrganisationRequiredMixin, current_membership
from federation.models import Organisation
from federation.rules import user_is_federation_staff

from . import selectors, services
from .forms import (
    CheckInSearchForm,
    EventCancelForm,
    EventFilterForm,
    HoursCorrectionForm,
    ParticipantForm,
    QuarterPlanForm,
    RegistrationCreateForm,
    SecretaryEventForm,
    VisitorSignupForm,
    parse_month,
)
from .ics import calendar_bytes
from .models import Event, Registration
from .ratelimit import (
    VISITOR_SIGNUP_PER_IP,
    VISITOR_SIGNUP_PER_MOBILE,
    client_ip,
    ratelimit_hit,
)
from .tickets import ticket_qr_svg


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NavEventsMixin:
    nav_current = "events"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", self.nav_current)
        return super().get_context_data(**kwargs)


# --- Public pages -------------------------------------------------------------------


class EventListView(LenientPaginationMixin, NavEventsMixin, ListView):
    """``/events/``: upcoming published events, filtered, 20 a page."""

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


class EventCalendarView(NavEventsMixin, TemplateView):
    """``/events/calendar/?month=YYYY-MM``: a month grid of events."""

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


class EventDetailView(NavEventsMixin, DetailView):
    """``/events/<slug>/``: details, places left, organiser, register buttons, activities."""

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


class EventIcsView(View):
    """``/events/<slug>.ics``: one event for a calendar app."""

    def get(self, request, slug):
        event = selectors.event_get_public(slug=slug)
        body = calendar_bytes([event], name=event.title)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


class EventFeedView(View):
    """``/events/feed.ics[?alliance=code]``: a subscribable feed."""

    def get(self, request):
        code = request.GET.get("alliance", "")
        name = _("Jing'an federation events")
        if code:
            alliance = get_object_or_404(Alliance, code=code)
            name = f"{name} · {alliance.name}"
        body = calendar_bytes(selectors.event_list_feed(alliance_code=code), name=name)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- Registering ---------------------------------------------------------------------


class RegistrationCreateView(OrganisationRequiredMixin, NavEventsMixin, FormView):
    """An organisation registers its participants for an event."""

    template_name = "events/registration_form.html"
    form_class = RegistrationCreateForm

    def dispatch(self, request, *args, **kwargs):
        self.event = selectors.event_get_public(slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = selectors.participant_list_for_organisation(
            organisation=self.organisation, active_only=True
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            places_left=selectors.places_left(self.event),
            registration_open=self.event.is_registration_open(),
            registered=selectors.event_registrations_for_organisation(
                event=self.event, organisation=self.organisation
            ),
            **kwargs,
        )

    def form_valid(self, form):
        for participant in form.cleaned_data["participants"]:
            try:
                registration = services.registration_create(
                    event=self.event, participant=participant, acting_user=self.request.user
                )
            except ValidationError as error:
                messages.error(self.request, f"{participant.name}: {_error_text(error)}")
                continue
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    self.request, _("%(name)s: place confirmed.") % {"name": participant.name}
                )
            else:
                messages.warning(
                    self.request,
                    _("%(name)s: the event is full; on the waiting list.")
                    % {"name": participant.name},
                )
        return HttpResponseRedirect(reverse("events:registration-list"))


class VisitorSignupView(NavEventsMixin, FormView):
    """A member of the public registers themselves (rate limited per IP and per mobile)."""

    template_name = "events/visitor_signup_form.html"
    form_class = VisitorSignupForm

    def dispatch(self, request, *args, **kwargs):
        self.event = selectors.event_get_public(slug=kwargs["slug"])
        if not self.event.visitor_signup:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, places_left=selectors.places_left(self.event), **kwargs
        )

    def form_valid(self, form):
        ip_ok = ratelimit_hit(
            scope="signup-ip", value=client_ip(self.request), limit=VISITOR_SIGNUP_PER_IP[0],
            period=VISITOR_SIGNUP_PER_IP[1],
        )  # fmt: skip
        mobile_ok = ratelimit_hit(
            scope="signup-mobile", value=form.cleaned_data["mobile"],
            limit=VISITOR_SIGNUP_PER_MOBILE[0], period=VISITOR_SIGNUP_PER_MOBILE[1],
        )  # fmt: skip
        if not (ip_ok and mobile_ok):
            form.add_error(
                None,
                ValidationError(
                    _("Too many sign-up attempts. Please wait an hour and try again."),
                    code="rate_limited",
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            registration = services.registration_create_for_visitor(
                event=self.event,
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
                email=form.cleaned_data["email"],
                acting_user=self.request.user if self.request.user.is_authenticated else None,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("events:ticket", kwargs={"token": registration.token}))


class TicketView(NavEventsMixin, DetailView):
    """A visitor's own e-ticket, reached only through its unguessable token."""

    template_name = "events/ticket.html"
    context_object_name = "registration"

    def get_object(self, queryset=None):
        return selectors.registration_get_by_token(token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.object.event
        if self.object.status == Registration.Status.CONFIRMED:
            context["qr_svg"] = ticket_qr_svg(self.object)
        return context


def _confirm_page(request, *, title, question, button, action, back_url, **extra):
    """A page asking to confirm a destructive action; the form POSTs to ``action``."""
    context = {
        "confirm_title": title,
        "confirm_question": question,
        "confirm_button": button,
        "confirm_action": action,
        "back_url": back_url,
        **extra,
    }
    return TemplateResponse(request, "events/confirm.html", context)


class TicketCancelView(View):
    """GET asks to confirm; POST cancels the visitor's registration."""

    def get(self, request, token):
        registration = selectors.registration_get_by_token(token=token)
        ticket_url = reverse("events:ticket", kwargs={"token": token})
        return _confirm_page(
            request,
            title=_("Cancel my registration"),
            question=_("Cancel your registration for “%(event)s”?")
            % {"event": registration.event.title},
            button=_("Yes, cancel my registration"),
            action=reverse("events:ticket-cancel", kwargs={"token": token}),
            back_url=ticket_url,
        )

    def post(self, request, token):
        registration = selectors.registration_get_by_token(token=token)
        try:
            services.registration_cancel(
                registration=registration,
                acting_user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return HttpResponseRedirect(reverse("events:ticket", kwargs={"token": token}))


# --- Organisation area: /my/ ---------------------------------------------------------


class MyAreaMixin(OrganisationRequiredMixin):
    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "my")
        return super().get_context_data(**kwargs)


class MyRegistrationListView(LenientPaginationMixin, MyAreaMixin, ListView):
    """``/my/registrations/``: the organisation's registrations."""

    template_name = "events/registration_list.html"
    context_object_name = "registrations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.registration_list_for_organisation(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(now=timezone.now(), **kwargs)


class MyRegistrationDetailView(MyAreaMixin, DetailView):
    """The e-ticket of one of the organisation's registrations; 404 for another's."""

    template_name = "events/registration_detail.html"
    context_object_name = "registration"

    def get_object(self, queryset=None):
        return selectors.registration_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.object.event
        if self.object.status == Registration.Status.CONFIRMED:
            context["qr_svg"] = ticket_qr_svg(self.object)
        return context


class MyRegistrationCancelView(MyAreaMixin, View):
    """GET asks to confirm; POST cancels one of the organisation's registrations."""

    def get(self, request, pk):
        registration = selectors.registration_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        return _confirm_page(
            request,
            title=_("Cancel a registration"),
            question=_("Cancel the place of %(name)s at “%(event)s”?")
            % {"name": registration.name, "event": registration.event.title},
            button=_("Yes, cancel the registration"),
            action=reverse("events:registration-cancel", kwargs={"pk": pk}),
            back_url=reverse("events:registration-list"),
            nav_current="my",
        )

    def post(self, request, pk):
        registration = selectors.registration_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        try:
            services.registration_cancel(registration=registration, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("The registration of %(name)s is cancelled.") % {"name": registration.name},
            )
        return HttpResponseRedirect(reverse("events:registration-list"))


class ParticipantListView(LenientPaginationMixin, MyAreaMixin, ListView):
    template_name = "events/participant_list.html"
    context_object_name = "participants"
    paginate_by = 50

    def get_queryset(self):
        return selectors.participant_list_with_hours(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation_hours=selectors.organisation_hours_total(organisation=self.organisation),
            **kwargs,
        )


class ParticipantCreateView(MyAreaMixin, FormView):
    template_name = "events/participant_form.html"
    form_class = ParticipantForm

    def form_valid(self, form):
        try:
            services.participant_create(
                organisation=self.organisation,
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
                role=form.cleaned_data["role"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("events:participant-list"))


class ParticipantUpdateView(MyAreaMixin, FormView):
    template_name = "events/participant_form.html"
    form_class = ParticipantForm

    def dispatch(self, request, *args, **kwargs):
        self.participant = None
        return super().dispatch(request, *args, **kwargs)

    def get_participant(self):
        if self.participant is None:
            self.participant = selectors.participant_get_for_organisation(
                organisation=self.organisation, pk=self.kwargs["pk"]
            )
        return self.participant

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_participant()
        return kwargs

    def form_valid(self, form):
        try:
            services.participant_update(
                participant=self.get_participant(),
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("events:participant-list"))


# --- Check-in and hours ---------------------------------------------------------------


class AttendanceMixin(LoginRequiredMixin):
    """Staff or the event's alliance secretary; 404 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get_for_attendance(slug=kwargs["slug"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("event", self.event)
        kwargs.setdefault("nav_current", "events")
        return super().get_context_data(**kwargs)


class CheckInIndexView(LoginRequiredMixin, NavEventsMixin, ListView):
    """Events the user may check people in for; 404 unless staff or an alliance secretary."""

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
    """Scan or type a token, or search by name / last four digits; check in once."""

    template_name = "events/check_in.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q") or self.request.GET.get("token") or ""
        form = CheckInSearchForm(initial={"q": query})
        return super().get_context_data(
            form=form,
            query=query,
            results=selectors.registration_search_for_check_in(event=self.event, query=query),
            attended_count=self.event.registrations.filter(
                status=Registration.Status.ATTENDED
            ).count(),
            **kwargs,
        )

    def post(self, request, slug):
        registration = None
        if request.POST.get("registration", "").isdigit():
            registration = selectors.registration_get_for_check_in(
                event=self.event, pk=int(request.POST["registration"])
            )
        elif request.POST.get("q"):
            registration = selectors.registration_get_for_check_in(
                event=self.event, token=selectors.token_from_scan(request.POST["q"])
            )
            if registration is None:
                # Not a token: show the name / digits search instead.
                # Only the search text goes into the URL, never the form's CSRF token.
                url = reverse("events:check-in", kwargs={"slug": slug})
                return HttpResponseRedirect(f"{url}?{urlencode({'q': request.POST['q']})}")
        if registration is None:
            messages.error(request, _("No registration with this ticket for this event."))
        else:
            try:
                result = services.registration_check_in(
                    registration=registration, acting_user=request.user
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                at = timezone.localtime(result.registration.checked_in_at).strftime("%H:%M")
                if result.already_checked_in:
                    messages.warning(
                        request,
                        _("%(name)s: already checked in at %(time)s.")
                        % {"name": registration.name, "time": at},
                    )
                else:
                    messages.success(
                        request,
                        _("%(name)s: checked in at %(time)s.")
                        % {"name": registration.name, "time": at},
                    )
        return HttpResponseRedirect(reverse("events:check-in", kwargs={"slug": slug}))


class MarkNoShowsView(AttendanceMixin, View):
    """GET asks to confirm; POST marks every confirmed place not checked in as no-show."""

    def get(self, request, slug):
        count = self.event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return _confirm_page(
            request,
            title=_("Mark no-shows"),
            question=ngettext(
                "Mark %(count)s person not checked in as no-show? This cannot be undone here.",
                "Mark %(count)s people not checked in as no-show? This cannot be undone here.",
                count,
            )
            % {"count": count},
            button=_("Yes, mark them as no-show"),
            action=reverse("events:mark-no-shows", kwargs={"slug": slug}),
            back_url=reverse("events:attendance", kwargs={"slug": slug}),
            event=self.event,
            nav_current="events",
        )

    def post(self, request, slug):
        try:
            count = services.registration_mark_no_shows(event=self.event, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(count)s marked as no-show.") % {"count": count})
        return HttpResponseRedirect(reverse("events:attendance", kwargs={"slug": slug}))


class AttendanceView(AttendanceMixin, TemplateView):
    """Everyone registered, their status and credited hours, with corrections."""

    template_name = "events/attendance.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registrations=selectors.registration_list_for_attendance(event=self.event),
            length_hours=self.event.length_hours,
            correction_form=HoursCorrectionForm(),
            **kwargs,
        )


class HoursCorrectView(AttendanceMixin, View):
    def post(self, request, slug, pk):
        registration = selectors.registration_get_for_check_in(event=self.event, pk=pk)
        if registration is None:
            raise Http404
        form = HoursCorrectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                services.registration_hours_correct(
                    registration=registration,
                    hours=form.cleaned_data["hours"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Hours corrected."))
        return HttpResponseRedirect(reverse("events:attendance", kwargs={"slug": slug}))


class HoursOverviewView(LoginRequiredMixin, UserPassesTestMixin, NavEventsMixin, TemplateView):
    """Staff: volunteer hours per organisation."""

    template_name = "events/hours_overview.html"

    def test_func(self):
        return user_is_federation_staff(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisations=selectors.organisation_list_with_hours(), **kwargs
        )


class QuarterlyPlanView(LoginRequiredMixin, UserPassesTestMixin, NavEventsMixin, TemplateView):
    """Staff: alliance × quarter of a year, each team building and training held/scheduled/missing."""

    template_name = "events/quarterly_plan.html"

    def test_func(self):
        return user_is_federation_staff(self.request.user)

    def get_context_data(self, **kwargs):
        year = QuarterPlanForm(self.request.GET).year_or(selectors.this_year())
        return super().get_context_data(
            year=year,
            rows=selectors.alliance_quarter_plan(year=year),
            quarters=(1, 2, 3, 4),
            **kwargs,
        )


# --- Alliance secretaries: their own trainings and team building ------------------------


class SecretaryMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.alliances = selectors.alliance_list_for_secretary(user=request.user)
        if not self.alliances.exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "my")
        kwargs.setdefault("alliances", self.alliances)
        return super().get_context_data(**kwargs)


class SecretaryEventListView(LenientPaginationMixin, SecretaryMixin, ListView):
    template_name = "events/secretary_event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return selectors.event_list_for_secretary(user=self.request.user)


class SecretaryEventFormMixin(SecretaryMixin):
    template_name = "events/secretary_event_form.html"
    form_class = SecretaryEventForm
    event = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["alliances"] = self.alliances
        if self.event is not None:
            kwargs["instance"] = self.event
        return kwargs

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.event is None:
                event = services.event_create(acting_user=self.request.user, **fields)
            else:
                event = services.event_update(
                    event=self.event, acting_user=self.request.user, **fields
                )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied:
            raise Http404 from None
        messages.success(self.request, _("Saved: %(title)s.") % {"title": event.title})
        return HttpResponseRedirect(reverse("events:secretary-event-list"))


class SecretaryEventCreateView(SecretaryEventFormMixin, FormView):
    pass


class SecretaryEventUpdateView(SecretaryEventFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_for_secretary(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, cancel_form=EventCancelForm(), **kwargs)


class SecretaryEventPublishView(SecretaryMixin, View):
    def post(self, request, pk):
        event = selectors.event_get_for_secretary(user=request.user, pk=pk)
        try:
            services.event_publish(event=event, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Published: %(title)s.") % {"title": event.title})
        return HttpResponseRedirect(reverse("events:secretary-event-list"))


class SecretaryEventCancelView(SecretaryMixin, View):
    def post(self, request, pk):
        event = selectors.event_get_for_secretary(user=request.user, pk=pk)
        form = EventCancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for cancelling."))
            return HttpResponseRedirect(reverse("events:secretary-event-update", kwargs={"pk": pk}))
        try:
            services.event_cancel(
                event=event, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Cancelled: %(title)s.") % {"title": event.title})
        return HttpResponseRedirect(reverse("events:secretary-event-list"))
