"""Registering: organisations and visitors sign up; visitors' tickets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from core.forms import add_service_errors, error_text
from core.views import confirm_page
from federation.access import OrganisationRequiredMixin

from .. import selectors, services
from ..forms import (
    RegistrationCreateForm,
    VisitorSignupForm,
)
from ..models import Registration
from ..ratelimit import (
    VISITOR_SIGNUP_PER_IP,
    VISITOR_SIGNUP_PER_MOBILE,
    client_ip,
    ratelimit_hits,
)
from ..tickets import ticket_qr_svg
from ._common import NavEventsMixin, cancellation_message

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
                messages.error(self.request, f"{participant.name}: {error_text(error)}")
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
        # A POST reads only the event's key and visitor_signup: the service locks and
        # reads the row, and counts the seats under its lock; a form shown again after
        # a refusal reads the event whole (get_context_data).
        self.event = selectors.event_get_for_signup(
            slug=kwargs["slug"], seat_counts=request.method != "POST"
        )
        if not self.event.visitor_signup:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if self.request.method == "POST":
            # The form again after a refusal: with the places left as they are now.
            self.event = selectors.event_get_for_signup(slug=self.kwargs["slug"])
        return super().get_context_data(
            event=self.event, places_left=selectors.places_left(self.event), **kwargs
        )

    def form_valid(self, form):
        # Both counters always count (one cache round trip): a refusal still uses an attempt.
        allowed = ratelimit_hits(
            [
                ("signup-ip", client_ip(self.request), *VISITOR_SIGNUP_PER_IP),
                ("signup-mobile", form.cleaned_data["mobile"], *VISITOR_SIGNUP_PER_MOBILE),
            ]
        )
        if not allowed:
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
            add_service_errors(form, error)
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


class TicketCancelView(View):
    """GET asks to confirm; POST cancels the visitor's registration."""

    def get(self, request, token):
        registration = selectors.registration_get_by_token(token=token)
        ticket_url = reverse("events:ticket", kwargs={"token": token})
        return confirm_page(
            request,
            title=_("Cancel my registration"),
            question=_("Cancel your registration for “%(event)s”?")
            % {"event": registration.event.title},
            button=_("Yes, cancel my registration"),
            action=reverse("events:ticket-cancel", kwargs={"token": token}),
            cancel_label=_("No, go back"),
            cancel_url=ticket_url,
        )

    def post(self, request, token):
        registration = selectors.registration_get_by_token(token=token)
        try:
            registration = services.registration_cancel(
                registration=registration,
                acting_user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, cancellation_message(registration))
        return HttpResponseRedirect(reverse("events:ticket", kwargs={"token": token}))
