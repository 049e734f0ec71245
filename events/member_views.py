"""HTTP for events member organisations publish themselves, and their review by staff.

``/my/events/…``: an org admin drafts, edits, submits and runs attendance of
the organisation's own events (another organisation's: 404).
``/member-events/review/…``: staff publish a submitted event or return it with a reason.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors, error_text
from core.pagination import LenientPaginationMixin
from federation.access import OrganisationRequiredMixin

from . import selectors_member
from .forms import HoursCorrectionForm
from .member_forms import MemberEventForm, ReturnForm
from .services import (
    event_cancel,
    registration_check_in,
    registration_hours_correct,
    registration_mark_no_shows,
)
from .services import member_events as services


class MemberEventMixin(OrganisationRequiredMixin):
    """The current organisation's admins only; ``self.event`` when the URL names one."""

    org_admin_required = True
    event = None

    def load_event(self):
        self.event = selectors_member.member_event_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )
        return self.event

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "my")
        kwargs.setdefault("event", self.event)
        return super().get_context_data(**kwargs)


class MemberEventListView(LenientPaginationMixin, MemberEventMixin, ListView):
    template_name = "events/member_event_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        return selectors_member.member_event_list_for_organisation(organisation=self.organisation)


class MemberEventFormView(MemberEventMixin, FormView):
    template_name = "events/member_event_form.html"
    form_class = MemberEventForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.event is not None:
            kwargs["instance"] = self.event
        return kwargs

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.event is None:
                event = services.member_event_create(
                    organisation=self.organisation, acting_user=self.request.user, **fields
                )
            else:
                event = services.member_event_update(
                    event=self.event, acting_user=self.request.user, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied:
            raise Http404 from None
        messages.success(self.request, _("Saved: %(title)s.") % {"title": event.title})
        return HttpResponseRedirect(reverse("member_events:detail", kwargs={"pk": event.pk}))


class MemberEventCreateView(MemberEventFormView):
    pass


class MemberEventUpdateView(MemberEventFormView):
    def get(self, request, *args, **kwargs):
        self.load_event()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load_event()
        return super().post(request, *args, **kwargs)


class MemberEventDetailView(MemberEventMixin, TemplateView):
    """The organisation's event: review state, registrations, check-in and hours."""

    template_name = "events/member_event_detail.html"

    def get_context_data(self, **kwargs):
        event = self.load_event()
        return super().get_context_data(
            registrations=selectors_member.member_event_registrations(event=event),
            length_hours=event.length_hours,
            **kwargs,
        )


class MemberEventActionView(MemberEventMixin, View):
    """A POST on the organisation's event: run ``act``, show its refusal or success."""

    def post(self, request, *args, **kwargs):
        event = self.load_event()
        try:
            done = self.act(request, event)
        except ValidationError as error:
            messages.error(request, error_text(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("member_events:detail", kwargs={"pk": event.pk}))

    def registration(self, event):
        registration = (
            selectors_member.member_event_registrations(event=event)
            .filter(pk=self.kwargs["registration"])
            .first()
        )
        if registration is None:
            raise Http404
        return registration


class MemberEventSubmitView(MemberEventActionView):
    def act(self, request, event):
        services.member_event_submit(event=event, acting_user=request.user)
        return _("Submitted for review. The federation will publish it or tell you what to change.")


class MemberEventCancelView(MemberEventActionView):
    def act(self, request, event):
        event_cancel(event=event, reason=request.POST.get("reason", ""), acting_user=request.user)
        return _("Cancelled; everyone registered has been told.")


class MemberEventCheckInView(MemberEventActionView):
    def act(self, request, event):
        result = registration_check_in(
            registration=self.registration(event), acting_user=request.user
        )
        if result.already_checked_in:
            return _("%(name)s was already checked in.") % {"name": result.registration.name}
        return _("%(name)s checked in.") % {"name": result.registration.name}


class MemberEventNoShowsView(MemberEventActionView):
    def act(self, request, event):
        count = registration_mark_no_shows(event=event, acting_user=request.user)
        return _("%(count)s marked as no-show.") % {"count": count}


class MemberEventHoursView(MemberEventActionView):
    def act(self, request, event):
        registration = self.registration(event)
        form = HoursCorrectionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                " ".join(e for errors in form.errors.values() for e in errors), code="invalid"
            )
        registration_hours_correct(
            registration=registration,
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
        return _("Hours corrected.")


# --- Staff review ---------------------------------------------------------------------


class ReviewerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("events.review_member_event"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MemberEventReviewListView(LenientPaginationMixin, ReviewerMixin, ListView):
    template_name = "events/member_event_review_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        return selectors_member.member_event_list_for_review()


class MemberEventReviewView(ReviewerMixin, TemplateView):
    template_name = "events/member_event_review.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "event", selectors_member.member_event_get_for_review(pk=self.kwargs["pk"])
        )
        kwargs.setdefault("return_form", ReturnForm())
        return super().get_context_data(**kwargs)

    def post(self, request, pk):
        event = selectors_member.member_event_get_for_review(pk=pk)
        try:
            if "publish" in request.POST:
                services.member_event_publish(event=event, acting_user=request.user)
                messages.success(request, _("Published: %(title)s.") % {"title": event.title})
            else:
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(event=event, return_form=form)
                    )
                services.member_event_return(
                    event=event, reason=form.cleaned_data["reason"], acting_user=request.user
                )
                messages.success(request, _("Returned: %(title)s.") % {"title": event.title})
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(reverse("member_events:review", kwargs={"pk": pk}))
        return HttpResponseRedirect(reverse("member_events:review-list"))
