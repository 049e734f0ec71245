"""An organisation's grant applications: /my/grants/ (org admins apply; members read)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.files import private_file_response
from core.forms import error_text
from core.pagination import LenientPaginationMixin
from federation.access import OrganisationRequiredMixin

from .. import forms, selectors, services
from ..models import GrantAttachment


class MyGrantListView(OrganisationRequiredMixin, LenientPaginationMixin, ListView):
    template_name = "funds/my_grant_list.html"
    paginate_by = 50
    context_object_name = "grants"

    def get_queryset(self):
        return selectors.grant_list_for_organisation(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        kwargs.update(is_org_admin=self.membership.role == "admin")
        return super().get_context_data(**kwargs)


class MyGrantApplyView(OrganisationRequiredMixin, FormView):
    org_admin_required = True
    form_class = forms.GrantApplicationForm
    template_name = "funds/my_grant_form.html"

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        try:
            grant = services.grant_apply(
                fund=selectors.fund_get_public(),
                organisation=self.organisation,
                attachments=[attachment] if attachment else [],
                acting_user=self.request.user,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Application %(number)s was sent to the fund.") % {"number": grant.number},
        )
        return redirect("funds:my-grant-detail", pk=grant.pk)


class MyGrantDetailView(OrganisationRequiredMixin, TemplateView):
    template_name = "funds/my_grant_detail.html"

    def get_context_data(self, **kwargs):
        grant = selectors.grant_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )
        reported = {report.quarter_ends_on for report in grant.progress_reports.all()}
        quarters = [day for day in grant.quarter_ends(timezone.localdate()) if day not in reported]
        kwargs.update(
            grant=grant,
            is_org_admin=self.membership.role == "admin",
            report_form=forms.GrantReportForm(),
            progress_form=forms.GrantProgressForm(quarters=quarters) if quarters else None,
        )
        return super().get_context_data(**kwargs)


# What each action on an own grant did, said on the grant's page.
MY_GRANT_DONE = {
    "withdraw": gettext_lazy("Application %(number)s was withdrawn."),
    "report": gettext_lazy("The final report for grant %(number)s was sent to the fund."),
    "progress": gettext_lazy("The quarterly progress report for grant %(number)s was sent."),
}


class MyGrantActionView(OrganisationRequiredMixin, View):
    """POST withdraw / report / progress on one of the organisation's grants."""

    org_admin_required = True

    def post(self, request, pk, action):
        grant = selectors.grant_get_for_organisation(organisation=self.organisation, pk=pk)
        if action not in MY_GRANT_DONE:
            raise Http404
        try:
            if action == "withdraw":
                if not request.POST.get("confirm"):
                    raise ValidationError(
                        _("Tick the box to confirm that you withdraw the application."),
                        code="not_confirmed",
                    )
                services.grant_withdraw(grant=grant, acting_user=request.user)
            elif action == "report":
                form = forms.GrantReportForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError(forms.error_messages(form))
                attachment = form.cleaned_data["attachment"]
                services.grant_report_submit(
                    grant=grant,
                    text=form.cleaned_data["text"],
                    attachments=[attachment] if attachment else [],
                    acting_user=request.user,
                )
            elif action == "progress":
                quarters = grant.quarter_ends(timezone.localdate())
                form = forms.GrantProgressForm(request.POST, quarters=quarters)
                if not form.is_valid():
                    raise ValidationError(forms.error_messages(form))
                services.grant_progress_submit(
                    grant=grant,
                    quarter_ends_on=next(
                        day
                        for day in quarters
                        if day.isoformat() == form.cleaned_data["quarter_ends_on"]
                    ),
                    summary=form.cleaned_data["summary"],
                    spent_amount=form.cleaned_data["spent_amount"],
                    acting_user=request.user,
                )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, MY_GRANT_DONE[action] % {"number": grant.number})
        return redirect("funds:my-grant-detail", pk=grant.pk)


class MyAttachmentView(OrganisationRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(
            GrantAttachment, grant__organisation=self.organisation, pk=pk
        )
        return private_file_response(attachment.file, filename=attachment.original_name)
