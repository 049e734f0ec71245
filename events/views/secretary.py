"""Alliance secretaries: their own trainings and team building."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from core.pagination import LenientPaginationMixin

from .. import selectors, services
from ..forms import (
    EventCancelForm,
    SecretaryEventForm,
)
from ._common import _add_errors, _error_text

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
