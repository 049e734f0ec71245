"""Attendance and service hours, no-shows; the quarterly plan (check-in: ``check_in``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from core.forms import error_text
from core.pagination import LenientPaginationMixin
from core.timezone import this_year
from core.views import confirm_page
from federation.rules import user_is_federation_staff

from .. import selectors, services
from ..forms import (
    HoursCorrectionForm,
    QuarterPlanForm,
)
from ..models import Registration
from ._common import NavEventsMixin

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


class MarkNoShowsView(AttendanceMixin, View):
    """GET asks to confirm; POST marks every confirmed place not checked in as no-show."""

    def get(self, request, slug):
        count = self.event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return confirm_page(
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
            cancel_label=_("No, go back"),
            cancel_url=reverse("events:attendance", kwargs={"slug": slug}),
            event=self.event,
            nav_current="events",
        )

    def post(self, request, slug):
        try:
            count = services.registration_mark_no_shows(event=self.event, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
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
                messages.error(request, error_text(error))
            else:
                messages.success(
                    request,
                    _("%(name)s's hours are now %(hours)s.")
                    % {"name": registration.name, "hours": form.cleaned_data["hours"]},
                )
        return HttpResponseRedirect(reverse("events:attendance", kwargs={"slug": slug}))


class HoursOverviewView(
    LoginRequiredMixin, UserPassesTestMixin, NavEventsMixin, LenientPaginationMixin, ListView
):
    """Staff: volunteer hours per organisation, most first, 50 a page, with the totals."""

    template_name = "events/hours_overview.html"
    context_object_name = "organisations"
    paginate_by = 50

    def test_func(self):
        return user_is_federation_staff(self.request.user)

    def get_queryset(self):
        return selectors.organisation_list_with_hours()

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=selectors.hours_totals(), **kwargs)


class QuarterlyPlanView(LoginRequiredMixin, UserPassesTestMixin, NavEventsMixin, TemplateView):
    """Staff: alliance × quarter of a year, each team building and training held/scheduled/missing."""

    template_name = "events/quarterly_plan.html"

    def test_func(self):
        return user_is_federation_staff(self.request.user)

    def get_context_data(self, **kwargs):
        year = QuarterPlanForm(self.request.GET).year_or(this_year())
        return super().get_context_data(
            year=year,
            rows=selectors.alliance_quarter_plan(year=year),
            quarters=(1, 2, 3, 4),
            **kwargs,
        )
