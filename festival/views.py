"""HTTP for the festival: history, walk-in counter, honour roll, verification, nominations."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from core.pagecache import PublicPageCacheMixin
from federation.access import OrganisationRequiredMixin

from . import selectors, services
from .certificates import honour_certificate_pdf
from .forms import DecisionForm, NominationForm
from .models import AwardType, Nomination


class _FestivalNavMixin:
    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "festival")
        return super().get_context_data(**kwargs)


class FestivalHistoryView(PublicPageCacheMixin, _FestivalNavMixin, TemplateView):
    """``/festival/``: every edition, its participants, the running total; this year's programme."""

    page_cache_namespaces = ("festival", "organisations", "events")

    template_name = "festival/history.html"

    def get_context_data(self, **kwargs):
        rows = selectors.edition_rows()
        current = selectors.edition_get_current()
        programme = selectors.activity_list_for_edition(edition=current) if current else []
        user = self.request.user
        countable = {
            activity.pk
            for activity in programme
            if user.is_authenticated and user.has_perm("festival.count_walk_ins", activity)
        }
        return super().get_context_data(
            rows=list(reversed(rows)),
            total=rows[-1].running_total if rows else 0,
            figures=selectors.festival_figures(rows=rows),
            current=current,
            programme=programme,
            countable=countable,
            **kwargs,
        )


class WalkInCounterView(LoginRequiredMixin, _FestivalNavMixin, TemplateView):
    """``/festival/walk-ins/<slug>/``: big +1 / −1 buttons; several phones at once."""

    template_name = "festival/walk_in_counter.html"
    STEPS = (1, 5)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.activity = selectors.activity_get_for_counting(slug=kwargs["slug"])
            if not request.user.has_perm("festival.count_walk_ins", self.activity):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            activity=self.activity,
            count=selectors.walk_in_count(activity=self.activity),
            steps=self.STEPS,
            **kwargs,
        )

    def post(self, request, slug):
        try:
            delta = int(request.POST.get("delta", ""))
            services.walk_in_add(activity=self.activity, delta=delta, acting_user=request.user)
        except ValueError:
            messages.error(request, _("Choose a button."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        return redirect("festival:walk-in-counter", slug=slug)


class HonourRollView(PublicPageCacheMixin, _FestivalNavMixin, TemplateView):
    """``/honours/`` and ``/honours/<year>/``: the public roll of a year's standing awards."""

    page_cache_namespaces = ("festival", "organisations", "volunteers")

    template_name = "festival/honour_roll.html"

    def get_context_data(self, **kwargs):
        years = selectors.award_years()
        year = kwargs.pop("year", None) or (years[0] if years else timezone.localdate().year)
        return super().get_context_data(
            year=year, years=years, groups=selectors.award_list_for_roll(year=year), **kwargs
        )


class HonourVerifyView(PublicPageCacheMixin, _FestivalNavMixin, TemplateView):
    """``/honours/verify/<number>/``: name, award and year, nothing else; or “revoked”."""

    page_cache_namespaces = ("festival", "organisations", "volunteers")

    template_name = "festival/honour_verify.html"

    def get_context_data(self, **kwargs):
        award = selectors.award_get_by_number(number=kwargs["number"])
        if award is None:
            raise Http404
        return super().get_context_data(award=award, **kwargs)


class AwardCertificatePdfView(LoginRequiredMixin, View):
    """The 光荣证 PDF: staff, or the admins of the recipient's organisation."""

    def get(self, request, number):
        award = selectors.award_get_by_number(number=number)
        if award is None:
            raise Http404
        allowed = request.user.has_perm("festival.manage_honours") or (
            award.organisation is not None
            and request.user.has_perm("festival.nominate", award.organisation)
        )
        if not allowed:
            raise PermissionDenied
        response = HttpResponse(honour_certificate_pdf(award), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{award.number}.pdf"'
        return response


class MyHonoursView(OrganisationRequiredMixin, _FestivalNavMixin, TemplateView):
    """``/my/honours/``: open rounds and the organisation's nominations."""

    org_admin_required = True
    template_name = "festival/my_honours.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rounds=selectors.round_list_open(),
            nominations=selectors.nomination_list_for_organisation(organisation=self.organisation),
            **kwargs,
        )


class NominationCreateView(OrganisationRequiredMixin, _FestivalNavMixin, FormView):
    """``/my/honours/<round>/nominate/``: one of the organisation's people, or itself."""

    org_admin_required = True
    template_name = "festival/nomination_form.html"
    form_class = NominationForm

    def dispatch(self, request, *args, **kwargs):
        self.round = selectors.round_get_open(pk=kwargs["pk"])
        self.for_organisation = self.round.award_type.recipient == AwardType.Recipient.ORGANISATION
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.organisation, for_organisation=self.for_organisation)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def form_valid(self, form):
        try:
            services.nomination_create(
                round=self.round,
                reason=form.cleaned_data["reason"],
                nominated_by_organisation=self.organisation,
                nominee_participant=form.cleaned_data.get("participant"),
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Nomination sent. Staff will decide."))
        return redirect("festival:my-honours")


class NominationReviewView(PermissionRequiredMixin, _FestivalNavMixin, TemplateView):
    """``/honours/nominations/``: staff accept (numbering the award) or decline."""

    permission_required = "festival.manage_honours"
    template_name = "festival/nomination_review.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominations=selectors.nomination_list_pending(), form=DecisionForm(), **kwargs
        )

    def post(self, request):
        nomination = get_object_or_404(Nomination, pk=request.POST.get("nomination"))
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            award = services.nomination_decide(
                nomination=nomination,
                accept=request.POST.get("decision") == "accept",
                note=note,
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            if award:
                messages.success(request, _("Awarded: %(number)s") % {"number": award.number})
            else:
                messages.info(request, _("Nomination declined."))
        return redirect("festival:nomination-review")
