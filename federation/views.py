"""Pages of the kernel: the public directory, the service fields, /my/ and invitations."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.forms import add_service_errors, error_text
from core.pagecache import NAMESPACES, PublicPageCacheMixin
from core.pagination import LenientPaginationMixin
from core.views import confirm_page

from . import selectors, services
from .access import OrganisationRequiredMixin, current_membership, select_organisation
from .account_forms import InvitationNameForm
from .forms import (
    InvitationForm,
    MemberRoleForm,
    MembershipApplicationForm,
    OrganisationProfileForm,
    OrganisationSwitchForm,
    WithdrawForm,
    directory_filter_form,
)
from .models import Organisation, OrganisationMember
from .sections import my_sections, profile_sections

# --- Public ------------------------------------------------------------------------


class OrganisationListView(PublicPageCacheMixin, LenientPaginationMixin, ListView):
    """``/organisations/``: active members, filterable, searchable (pinyin too), by pinyin."""

    page_cache_namespaces = ("organisations", "alliances", "streets")

    template_name = "federation/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 20

    def get_queryset(self):
        self.filter_form = directory_filter_form(self.request.GET or None)
        filters = selectors.DirectoryFilters()
        if self.filter_form.is_bound:
            # A stale or mistyped filter (an unknown street code, an overlong query) is
            # dropped with a notice; the filters that are valid still apply.
            self.filter_form.is_valid()
            data = self.filter_form.cleaned_data
            filters = selectors.DirectoryFilters(
                query=data.get("q", ""),
                street=data.get("street", ""),
                legal_form=data.get("legal_form", ""),
                service_field=data.get("field", ""),
                alliance=data.get("alliance", ""),
                rating=data.get("rating", ""),
            )
        return selectors.organisation_list_public(filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_form"] = self.filter_form
        context["filters_ignored"] = self.filter_form.is_bound and bool(self.filter_form.errors)
        context["filter_query"] = query.urlencode()
        return context


class OrganisationDetailView(PublicPageCacheMixin, DetailView):
    """``/organisations/<slug>/``: an active member's public profile."""

    page_cache_namespaces = NAMESPACES

    template_name = "federation/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        organisation = selectors.organisation_get_public(slug=self.kwargs["slug"])
        if organisation is None:
            raise Http404
        return organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile_sections"] = profile_sections()
        return context


# --- Invitations -----------------------------------------------------------------


class InvitationAcceptView(TemplateView):
    """``/invitations/<token>/``: see the invitation; log in or sign up, then accept it."""

    template_name = "federation/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = selectors.invitation_get_by_token(token=kwargs["token"])
        if self.invitation is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        context["next"] = self.request.get_full_path()
        user = self.request.user
        if user.is_authenticated and not user.name.strip():
            context.setdefault("name_form", InvitationNameForm())
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        name_form = InvitationNameForm(request.POST)
        if not request.user.name.strip() and not name_form.is_valid():
            return self.render_to_response(self.get_context_data(name_form=name_form))
        name = name_form.cleaned_data.get("name", "") if name_form.is_valid() else ""
        try:
            services.invitation_accept(
                invitation=self.invitation, acting_user=request.user, name=name
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return self.get(request, *args, **kwargs)
        select_organisation(request, self.invitation.organisation_id)
        messages.success(
            request,
            _("You joined %(organisation)s.") % {"organisation": self.invitation.organisation},
        )
        return redirect("federation:my-home")


# --- My organisation ---------------------------------------------------------------


class MyHomeView(LoginRequiredMixin, TemplateView):
    """``/my/``: the current organisation's overview, or how to join one."""

    template_name = "federation/my_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = current_membership(self.request)
        user = self.request.user
        context["membership"] = membership
        context["organisation"] = membership.organisation if membership else None
        context["my_organisations"] = selectors.organisation_list_for_user(user=user)
        context["invitations"] = selectors.invitation_list_for_user(user=user)
        if membership:
            organisation = membership.organisation
            context["sections"] = my_sections()
            context["change_request"] = selectors.change_request_get_pending(
                organisation=organisation
            )
            context["inspection_years"] = selectors.annual_inspection_years(
                organisation=organisation, years=1
            )
        return context


class OrganisationSwitchView(LoginRequiredMixin, View):
    """POST ``/my/switch/``: make another of the user's organisations the current one."""

    def post(self, request):
        form = OrganisationSwitchForm(request.POST)
        if not form.is_valid():
            raise Http404
        select_organisation(request, form.cleaned_data["organisation"])
        return redirect("federation:my-home")


class MembershipApplyView(LoginRequiredMixin, FormView):
    """``/my/apply/``: apply for membership; the applicant becomes the org admin."""

    template_name = "federation/membership_apply.html"
    form_class = MembershipApplicationForm

    def get(self, request, *args, **kwargs):
        # Spare the applicant a long form the service would refuse (application_pending).
        pending = selectors.application_get_pending_for_user(user=request.user)
        if pending is not None:
            select_organisation(request, pending.pk)
            messages.info(request, _("You already have an application waiting for review."))
            return redirect("federation:my-home")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            organisation = services.organisation_apply(
                details=form.details(),
                service_fields=form.cleaned_data["service_fields"],
                credit_code_confirmed=form.cleaned_data["credit_code_confirmed"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        select_organisation(self.request, organisation.pk)
        messages.success(
            self.request,
            _("Thank you: your application is with the federation staff. We will e-mail you."),
        )
        return redirect("federation:my-home")


class MyProfileUpdateView(OrganisationRequiredMixin, FormView):
    """``/my/profile/``: org admins keep the registry details up to date."""

    org_admin_required = True
    template_name = "federation/my_profile_form.html"
    form_class = OrganisationProfileForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.organisation
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_request"] = selectors.change_request_get_pending(
            organisation=self.organisation
        )
        return context

    def form_valid(self, form):
        try:
            change_request = services.organisation_profile_update(
                organisation=self.organisation,
                details=form.details(),
                service_fields=form.cleaned_data["service_fields"],
                credit_code_confirmed=form.cleaned_data["credit_code_confirmed"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The registry details of %(organisation)s were saved.")
            % {"organisation": self.organisation.name},
        )
        if change_request:
            messages.info(
                self.request,
                _("The new credit code or legal form takes effect once the staff approve it."),
            )
        return redirect("federation:my-profile")


class MyMemberListView(OrganisationRequiredMixin, TemplateView):
    """``/my/members/``: the organisation's people and pending invitations."""

    template_name = "federation/my_member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.member_list_for_organisation(organisation=self.organisation)
        context["invitations"] = selectors.invitation_list_pending(organisation=self.organisation)
        context["roles"] = OrganisationMember.Role.choices
        context["is_org_admin"] = self.membership.is_admin
        return context


class _MemberActionView(OrganisationRequiredMixin, View):
    """POST-only; the member must belong to the current organisation (else 404)."""

    def get(self, request, pk):
        self.get_member()  # another organisation's member is a 404, even to a GET
        return HttpResponseNotAllowed(["POST"])

    def get_member(self) -> OrganisationMember:
        member = selectors.member_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )
        if member is None:
            raise Http404
        return member

    def refused(self, error: ValidationError):
        messages.error(self.request, error_text(error))
        return redirect("federation:my-member-list")


class MyMemberRoleView(_MemberActionView):
    org_admin_required = True

    def post(self, request, pk):
        member = self.get_member()
        form = MemberRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the roles offered."))
            return redirect("federation:my-member-list")
        try:
            services.member_role_change(
                member=member, role=form.cleaned_data["role"], acting_user=request.user
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The role was changed."))
        return redirect("federation:my-member-list")


class MyMemberRemoveView(_MemberActionView):
    """GET asks for confirmation; POST removes the member (or lets a person leave)."""

    def get_removable_member(self) -> OrganisationMember:
        member = self.get_member()
        if member.user_id != self.request.user.pk and not self.membership.is_admin:
            raise Http404
        return member

    def get(self, request, pk):
        member = self.get_removable_member()
        leaving = member.user_id == request.user.pk
        if leaving:
            question = _("Leave %(organisation)s?") % {"organisation": self.organisation.name}
            button = _("Leave")
        else:
            question = _("Remove %(person)s from %(organisation)s?") % {
                "person": member.user.name or member.user.email,
                "organisation": self.organisation.name,
            }
            button = _("Remove")
        return confirm_page(
            request,
            organisation=self.organisation,
            membership=self.membership,
            question=question,
            button=button,
            cancel_url=reverse("federation:my-member-list"),
            header_template="federation/_my_confirm_header.html",
        )

    def post(self, request, pk):
        member = self.get_removable_member()
        try:
            services.member_remove(member=member, acting_user=request.user)
        except ValidationError as error:
            return self.refused(error)
        if member.user_id == request.user.pk:
            messages.success(request, _("You left the organisation."))
            return redirect("federation:my-home")
        messages.success(request, _("The person was removed from the organisation."))
        return redirect("federation:my-member-list")


class MyInvitationCreateView(OrganisationRequiredMixin, FormView):
    """``/my/invitations/new/``: an org admin invites a colleague by e-mail."""

    org_admin_required = True
    template_name = "federation/my_invitation_form.html"
    form_class = InvitationForm

    def form_valid(self, form):
        try:
            services.invitation_create(
                organisation=self.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The invitation was sent to %(email)s.") % form.cleaned_data
        )
        return redirect("federation:my-member-list")


class MyInvitationRevokeView(OrganisationRequiredMixin, View):
    org_admin_required = True

    def get_invitation(self, pk: int):
        invitation = selectors.invitation_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        if invitation is None:
            raise Http404
        return invitation

    def get(self, request, pk):
        invitation = self.get_invitation(pk)
        question = _("Revoke the invitation sent to %(email)s?") % {"email": invitation.email}
        return confirm_page(
            request,
            organisation=self.organisation,
            membership=self.membership,
            question=question,
            button=_("Revoke"),
            cancel_url=reverse("federation:my-member-list"),
            header_template="federation/_my_confirm_header.html",
        )

    def post(self, request, pk):
        invitation = self.get_invitation(pk)
        try:
            services.invitation_revoke(invitation=invitation, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The invitation was revoked."))
        return redirect("federation:my-member-list")


class MyInspectionListView(OrganisationRequiredMixin, TemplateView):
    """``/my/inspections/``: annual inspections of the last years and their deadlines."""

    template_name = "federation/my_inspection_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspection_years"] = selectors.annual_inspection_years(
            organisation=self.organisation
        )
        context["is_org_admin"] = self.membership.is_admin
        return context


class MyInspectionSubmitView(OrganisationRequiredMixin, View):
    """POST ``/my/inspections/<year>/submit/``: the report on that year went in."""

    org_admin_required = True

    def get(self, request, year):
        # A confirmation step: only the federation staff can undo a submission.
        question = _(
            "Record the annual report on %(year)s as submitted? Only the federation staff "
            "can undo this."
        ) % {"year": year}
        return confirm_page(
            request,
            organisation=self.organisation,
            membership=self.membership,
            question=question,
            button=_("Mark as submitted"),
            button_class="btn-primary",
            cancel_url=reverse("federation:my-inspection-list"),
            header_template="federation/_my_confirm_header.html",
        )

    def post(self, request, year):
        try:
            services.annual_inspection_submit(
                organisation=self.organisation, year=year, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Recorded as submitted."))
        return redirect("federation:my-inspection-list")


class MyWithdrawView(OrganisationRequiredMixin, FormView):
    """``/my/withdraw/``: an org admin takes the organisation out of the federation."""

    org_admin_required = True
    template_name = "federation/my_withdraw_form.html"
    form_class = WithdrawForm

    def get(self, request, *args, **kwargs):
        # Only a member can leave (the service refuses the rest: wrong_state).
        if self.organisation.status not in Organisation.WITHDRAWABLE_STATUSES:
            messages.info(request, _("This organisation is not a member of the federation now."))
            return redirect("federation:my-home")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.organisation_withdraw(
                organisation=self.organisation,
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The organisation has left the federation."))
        return HttpResponseRedirect(reverse("federation:my-home"))
