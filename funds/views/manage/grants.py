"""Grants: entering, deciding, reports and attachments."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.files import private_file_response
from core.forms import error_text
from core.pagination import LenientPaginationMixin

from ... import forms, selectors, services
from ...models import Grant, GrantAttachment
from ._base import FundManagerMixin, FundStaffMixin, ServiceFormView


class GrantListView(FundStaffMixin, LenientPaginationMixin, ListView):
    template_name = "funds/grant_list_manage.html"

    paginate_by = 50
    context_object_name = "grants"

    def get_queryset(self):
        self.status = self.request.GET.get("status", "")
        if self.status not in Grant.Status.values:
            self.status = ""
        return selectors.grant_list_manage(fund=self.fund, status=self.status)

    def get_context_data(self, **kwargs):
        kwargs.update(status=self.status, statuses=Grant.Status.choices)
        return super().get_context_data(**kwargs)


class GrantEnterView(ServiceFormView):
    form_class = forms.StaffGrantForm
    title = gettext_lazy("Enter a grant application")
    success_message = gettext_lazy("The application was entered.")

    def perform(self, data):
        attachment = data.pop("attachment")
        return services.grant_enter(
            fund=self.fund,
            attachments=[attachment] if attachment else [],
            acting_user=self.request.user,
            **data,
        )

    def get_success_url(self):
        return self.url("grant-detail", pk=self.result.pk)


class GrantDetailView(FundStaffMixin, TemplateView):
    template_name = "funds/grant_detail_manage.html"

    def get_context_data(self, **kwargs):
        grant = selectors.grant_get_manage(fund=self.fund, pk=self.kwargs["pk"])
        kwargs.update(
            grant=grant,
            approvers=[approval.approver for approval in grant.approvals.all()],
            review_form=forms.GrantReviewForm(
                initial={
                    "amount_approved": grant.amount_approved or grant.amount_requested,
                    "report_due_on": grant.report_due_on
                    or grant.project_ends_on + datetime.timedelta(days=30),
                }
            ),
            reason_form=forms.ReasonForm(),
            pay_form=forms.GrantPayForm(),
            can_approve=self.request.user.pk not in grant.requesters(),
            has_approved=any(
                approval.approver_id == self.request.user.pk for approval in grant.approvals.all()
            ),
            available=selectors.fund_available(fund=self.fund),
        )
        return super().get_context_data(**kwargs)


def decision_message(action: str, grant: Grant) -> str:
    """What a decision did to ``grant``, in the words a fund manager expects to read."""
    values = {
        "number": grant.number,
        "organisation": grant.organisation.name,
        "amount": grant.amount_approved,
    }
    if action == "review":
        text = _(
            "Application %(number)s is under review: %(amount)s to approve. "
            "Two fund managers other than the applicant now approve it."
        )
    elif action == "approve" and grant.status == Grant.Status.APPROVED:
        text = _(
            "Grant %(number)s is approved (second approval): %(amount)s is committed and "
            "%(organisation)s is told."
        )
    elif action == "approve":
        text = _(
            "Your approval of application %(number)s is recorded; a second fund manager "
            "must approve it before it is committed."
        )
    elif action == "reject":
        text = _("Application %(number)s was rejected; %(organisation)s is told.")
    elif action == "pay":
        text = _("The payment of %(amount)s for grant %(number)s to %(organisation)s was posted.")
    else:
        text = _("Grant %(number)s was cancelled; its commitment of %(amount)s was reversed.")
    return text % values


class GrantActionView(FundManagerMixin, View):
    """POST one decision on a grant; refusals come back as messages on the grant page."""

    actions = {
        "review": forms.GrantReviewForm,
        "approve": None,
        "reject": forms.ReasonForm,
        "pay": forms.GrantPayForm,
        "cancel": forms.ReasonForm,
    }

    def post(self, request, fund, pk, action):
        if action not in self.actions:
            raise Http404
        grant = get_object_or_404(Grant, fund=self.fund, pk=pk)
        form_class = self.actions[action]
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for line in forms.error_messages(form):
                    messages.error(request, line)
                return redirect(self.url("grant-detail", pk=pk))
            data = form.cleaned_data
        try:
            grant = self.perform(action, grant, data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, decision_message(action, grant))
        return redirect(self.url("grant-detail", pk=pk))

    def perform(self, action, grant, data):
        user = self.request.user
        if action == "review":
            return services.grant_review(grant=grant, acting_user=user, **data)
        if action == "approve":
            return services.grant_approve(grant=grant, acting_user=user)
        if action == "reject":
            return services.grant_reject(grant=grant, reason=data["reason"], acting_user=user)
        if action == "pay":
            return services.grant_pay(grant=grant, acting_user=user, **data)
        return services.grant_cancel(grant=grant, reason=data["reason"], acting_user=user)


class AttachmentView(FundStaffMixin, View):
    def get(self, request, fund, pk):
        attachment = get_object_or_404(GrantAttachment, grant__fund=self.fund, pk=pk)
        return private_file_response(attachment.file, filename=attachment.original_name)
