from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import ListView, TemplateView

from core.forms import error_text
from core.pagecache import NAMESPACES, PublicPageCacheMixin
from core.pagination import LenientPaginationMixin
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.views import confirm_page
from federation.access import OrganisationRequiredMixin
from federation.models import OrganisationMember
from federation.rules import user_is_federation_staff

from . import selectors, services
from .forms import ApplicationForm, DecisionForm, LeaveForm, MatrixFilterForm
from .models import Alliance, AllianceMembership
from .resources import alliance_matrix_xlsx
from .sections import alliance_sections


def _render_confirm(request, *, form, question, button, cancel_url, status=200):
    """The confirmation step before a membership ends (a reason may be given)."""
    return confirm_page(
        request,
        question=question,
        note=gettext("The history keeps who did this, when and why."),
        form=form,
        button=button,
        cancel_url=cancel_url,
        status=status,
    )


# --- Public ----------------------------------------------------------------------


class AllianceListView(PublicPageCacheMixin, TemplateView):
    page_cache_namespaces = NAMESPACES

    template_name = "alliances/alliance_list.html"

    def get_context_data(self, **kwargs):
        kwargs["alliances"] = selectors.alliance_list_public()
        return super().get_context_data(**kwargs)


class AllianceDetailView(PublicPageCacheMixin, LenientPaginationMixin, ListView):
    """``/alliances/<code>/``: the alliance, its activities and its members, 60 a page."""

    page_cache_namespaces = NAMESPACES
    template_name = "alliances/alliance_detail.html"
    context_object_name = "organisations"
    paginate_by = 60

    def get_queryset(self):
        self.alliance = selectors.alliance_get_public(code=self.kwargs["code"])
        if self.alliance is None:
            raise Http404
        return selectors.organisation_list_for_alliance_public(alliance=self.alliance)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # The same rule as the list (active members that are active federation members),
        # already counted with the alliance: no second COUNT query.
        paginator.count = self.alliance.member_count
        return paginator

    def get_context_data(self, **kwargs):
        kwargs["alliance"] = self.alliance
        kwargs["may_manage"] = services.user_may_manage_alliance(
            user=self.request.user, alliance=self.alliance
        )
        kwargs["alliance_sections"] = alliance_sections()
        return super().get_context_data(**kwargs)


# --- Secretaries and staff ------------------------------------------------------------


class ManagedAllianceListView(LoginRequiredMixin, TemplateView):
    """The alliances the user runs (all for staff); 404 for everyone else."""

    template_name = "alliances/manage_list.html"

    def get_context_data(self, **kwargs):
        alliances = list(selectors.alliance_list_managed_by(user=self.request.user))
        if not alliances:
            raise Http404
        kwargs["alliances"] = alliances
        return super().get_context_data(**kwargs)


class ManagedAllianceMixin(LoginRequiredMixin):
    """Sets ``self.alliance`` when the user is its secretary or staff, else 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.alliance = selectors.alliance_get_managed(user=request.user, code=kwargs["code"])
        if self.alliance is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def manage_url(self) -> str:
        return reverse("alliances:manage", kwargs={"code": self.alliance.code})


class AllianceManageView(ManagedAllianceMixin, LenientPaginationMixin, ListView):
    """Pending applications (all: each waits for a decision), members 50 a page with a
    name search, and the latest declined applications and former members."""

    template_name = "alliances/alliance_manage.html"
    paginate_by = 50
    closed_shown = 20

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:50]
        active = selectors.alliance_membership_list_for_alliance(
            alliance=self.alliance, statuses=(AllianceMembership.Status.ACTIVE,)
        )
        if self.query:
            active = active.filter(organisation__name__icontains=self.query)
        return active.order_by("organisation__name", "pk")

    def get_context_data(self, **kwargs):
        Status = AllianceMembership.Status
        memberships = selectors.alliance_membership_list_for_alliance
        closed = memberships(alliance=self.alliance, statuses=(Status.DECLINED, Status.LEFT))
        context = super().get_context_data(**kwargs)
        context.update(
            alliance=self.alliance,
            pending=list(memberships(alliance=self.alliance, statuses=(Status.PENDING,))),
            active=list(context["page_obj"].object_list),
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            closed=list(closed[: self.closed_shown]),
            closed_count=closed.count(),
            decision_form=DecisionForm(),
            leave_form=LeaveForm(),
        )
        return context


class MembershipDecideView(ManagedAllianceMixin, View):
    """POST: approve or decline one pending application of this alliance."""

    def post(self, request, code, pk):
        membership = selectors.alliance_membership_get_managed(
            user=request.user, alliance=self.alliance, pk=pk
        )
        if membership is None:
            raise Http404
        form = DecisionForm(request.POST)
        if not form.is_valid():
            if "decision" in form.errors:
                messages.error(request, gettext("Choose approve or decline."))
            else:
                messages.error(request, gettext("Please keep the reason under 1000 characters."))
            return HttpResponseRedirect(self.manage_url())
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == DecisionForm.APPROVE:
                services.alliance_membership_approve(
                    membership=membership, reason=reason, acting_user=request.user
                )
                messages.success(
                    request,
                    gettext("%(organisation)s is now a member.")
                    % {"organisation": membership.organisation.name},
                )
            else:
                services.alliance_membership_decline(
                    membership=membership, reason=reason, acting_user=request.user
                )
                messages.success(
                    request,
                    gettext("The application of %(organisation)s was declined.")
                    % {"organisation": membership.organisation.name},
                )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(self.manage_url())


class MembershipRemoveView(ManagedAllianceMixin, View):
    """GET asks for confirmation and a reason; POST ends an active membership."""

    def get_membership(self, pk: int) -> AllianceMembership:
        membership = selectors.alliance_membership_get_managed(
            user=self.request.user, alliance=self.alliance, pk=pk
        )
        if membership is None:
            raise Http404
        return membership

    def not_a_member(self):
        # A double-submit or a pending application (declined with a reason, not removed).
        messages.error(self.request, gettext("This organisation is not a member of this alliance."))
        return HttpResponseRedirect(self.manage_url())

    def render_confirm(self, membership, form, status=200):
        question = gettext("Remove %(organisation)s from %(alliance)s?") % {
            "organisation": membership.organisation.name,
            "alliance": self.alliance.name,
        }
        return _render_confirm(
            self.request,
            form=form,
            question=question,
            button=gettext("Remove"),
            cancel_url=self.manage_url(),
            status=status,
        )

    def get(self, request, code, pk):
        membership = self.get_membership(pk)
        if membership.status != AllianceMembership.Status.ACTIVE:
            return self.not_a_member()
        return self.render_confirm(membership, LeaveForm())

    def post(self, request, code, pk):
        membership = self.get_membership(pk)
        if membership.status != AllianceMembership.Status.ACTIVE:
            return self.not_a_member()
        form = LeaveForm(request.POST)
        if not form.is_valid():
            return self.render_confirm(membership, form, status=400)
        try:
            services.alliance_membership_leave(
                membership=membership,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(
                request,
                gettext("%(organisation)s is no longer a member.")
                % {"organisation": membership.organisation.name},
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(self.manage_url())


class StaffRequiredMixin(LoginRequiredMixin):
    """Federation staff only; 404 for other logged-in users."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_is_federation_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AllianceMatrixMixin(StaffRequiredMixin):
    def matrix_filters(self):
        form = MatrixFilterForm(self.request.GET or None)
        data = {}
        if form.is_bound:
            form.is_valid()  # an invalid filter shows its error; the valid ones still apply
            data = form.cleaned_data
        filters = selectors.MatrixFilters(
            q=data.get("q", ""),
            street=data.get("street"),
            alliance=data.get("alliance"),
            organisation_status=data.get("organisation_status", ""),
            only_members=data.get("only_members", False),
        )
        return form, filters


class AllianceMatrixView(AllianceMatrixMixin, LenientPaginationMixin, ListView):
    """``/alliances/overview/``: 50 organisations a page; the .xlsx has them all."""

    template_name = "alliances/alliance_matrix.html"
    paginate_by = 50

    def get_queryset(self):
        self.form, filters = self.matrix_filters()
        return selectors.alliance_matrix_organisations(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alliances = selectors.alliance_matrix_columns()
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=self.form,
            alliances=alliances,
            rows=selectors.alliance_matrix_rows(
                alliances=alliances, organisations=context["object_list"]
            ),
            query_string=query.urlencode(),
        )
        return context


class AllianceMatrixExportView(AllianceMatrixMixin, View):
    def get(self, request):
        _form, filters = self.matrix_filters()
        alliances, rows = selectors.alliance_matrix(user=request.user, filters=filters)
        content = alliance_matrix_xlsx(alliances=alliances, rows=rows)
        response = HttpResponse(
            content,
            content_type=XLSX_CONTENT_TYPE,
        )
        filename = f"alliances-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- The organisation's own area (/my/alliances/) -----------------------------------


class MyAllianceListView(OrganisationRequiredMixin, TemplateView):
    """The seven alliances with the current organisation's place in each."""

    template_name = "alliances/my_alliances.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            statuses=selectors.alliance_list_for_organisation(organisation=self.organisation),
            history=selectors.alliance_membership_list_for_organisation(
                organisation=self.organisation
            ),
            is_org_admin=self.membership.role == OrganisationMember.Role.ADMIN,
            application_form=ApplicationForm(),
            leave_form=LeaveForm(),
        )
        return super().get_context_data(**kwargs)


class MyAllianceApplyView(OrganisationRequiredMixin, View):
    org_admin_required = True

    def post(self, request, code):
        alliance = get_object_or_404(Alliance, code=code)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                services.alliance_membership_apply(
                    organisation=self.organisation,
                    alliance=alliance,
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
                messages.success(
                    request,
                    gettext("Your application to %(alliance)s was sent to its secretary.")
                    % {"alliance": alliance.name},
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
        else:
            messages.error(request, gettext("Please keep the note under 1000 characters."))
        return HttpResponseRedirect(reverse("alliances:my-alliances"))


class MyAllianceLeaveView(OrganisationRequiredMixin, View):
    """GET asks for confirmation and a reason; POST leaves (or withdraws the application)."""

    org_admin_required = True

    def get_membership(self, pk: int) -> AllianceMembership:
        membership = selectors.alliance_membership_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        if membership is None:
            raise Http404
        return membership

    def render_confirm(self, membership, form, status=200):
        if membership.status == AllianceMembership.Status.PENDING:
            question = gettext("Withdraw the application to %(alliance)s?")
            button = gettext("Withdraw the application")
        else:
            question = gettext("Leave %(alliance)s?")
            button = gettext("Leave this alliance")
        return _render_confirm(
            self.request,
            form=form,
            question=question % {"alliance": membership.alliance.name},
            button=button,
            cancel_url=reverse("alliances:my-alliances"),
            status=status,
        )

    def get(self, request, pk):
        membership = self.get_membership(pk)
        if membership.status not in AllianceMembership.LIVE_STATUSES:
            return HttpResponseRedirect(reverse("alliances:my-alliances"))
        return self.render_confirm(membership, LeaveForm())

    def post(self, request, pk):
        membership = self.get_membership(pk)
        form = LeaveForm(request.POST)
        if not form.is_valid():
            return self.render_confirm(membership, form, status=400)
        was_pending = membership.status == AllianceMembership.Status.PENDING
        try:
            services.alliance_membership_leave(
                membership=membership,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            if was_pending:
                text = gettext("Your application to %(alliance)s was withdrawn.")
            else:
                text = gettext("Your organisation has left %(alliance)s.")
            messages.success(request, text % {"alliance": membership.alliance.name})
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(reverse("alliances:my-alliances"))
