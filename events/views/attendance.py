"""Check-in, attendance and service hours; the quarterly plan."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
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
    CheckInSearchForm,
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
                messages.error(request, error_text(error))
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
                messages.success(request, _("Hours corrected."))
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
