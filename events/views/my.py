"""The organisation area on /my/: its registrations and participants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from core.forms import add_service_errors, error_text
from core.pagination import LenientPaginationMixin
from core.views import confirm_page
from federation.access import OrganisationRequiredMixin

from .. import selectors, services
from ..forms import (
    ParticipantForm,
)
from ..models import Registration
from ..tickets import ticket_qr_svg
from ._common import cancellation_message

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
        return confirm_page(
            request,
            title=_("Cancel a registration"),
            question=_("Cancel the place of %(name)s at “%(event)s”?")
            % {"name": registration.name, "event": registration.event.title},
            button=_("Yes, cancel the registration"),
            action=reverse("events:registration-cancel", kwargs={"pk": pk}),
            cancel_label=_("No, go back"),
            cancel_url=reverse("events:registration-list"),
            nav_current="my",
        )

    def post(self, request, pk):
        registration = selectors.registration_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        try:
            registration = services.registration_cancel(
                registration=registration, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, cancellation_message(registration, organisation_id=self.organisation.pk)
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
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added to your people.") % {"name": form.cleaned_data["name"]},
        )
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
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The details of %(name)s were saved.") % {"name": form.cleaned_data["name"]},
        )
        return HttpResponseRedirect(reverse("events:participant-list"))
