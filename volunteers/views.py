"""HTTP for volunteers: staff overview, an organisation's own rows, certificates."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView, View

from core.pagination import LenientPaginationMixin
from events.ratelimit import client_ip, ratelimit_hit
from federation.access import OrganisationRequiredMixin

from . import selectors, services
from .certificates import service_certificate_pdf
from .forms import CertificateIssueForm, CertificateRequestForm, CodeForm
from .models import CertificateRequest
from .sources import service_lines
from .verification import code_check, code_send

# (attempts, seconds)
REQUEST_PER_IP = (10, 3600)
REQUEST_PER_MOBILE = (3, 3600)
CONFIRM_PER_IP = (20, 3600)
SESSION_KEY = "volunteers_certificate_request"


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StaffRequiredMixin(PermissionRequiredMixin):
    permission_required = "volunteers.manage_volunteers"


class VolunteerListView(StaffRequiredMixin, LenientPaginationMixin, ListView):
    """``/volunteers/``: every volunteer, their total and star level (50 a page); pending
    requests."""

    template_name = "volunteers/volunteer_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:50]
        return selectors.volunteer_list(query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            summaries=selectors.volunteer_list_summaries(context["page_obj"].object_list),
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            requests=CertificateRequest.objects.filter(status=CertificateRequest.Status.PENDING)
            .select_related("volunteer")
            .order_by("created_at")[:50],
        )
        return context


class _IssueMixin:
    """Issue a certificate for ``self.volunteer`` in the name of ``self.issuer`` (None: federation)."""

    template_name = "volunteers/certificate_issue.html"
    form_class = CertificateIssueForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        volunteer = self.volunteer
        if volunteer is None:  # an organisation's row not yet a volunteer: its own lines
            lines = service_lines(participant_ids=[self.participant.pk])
            certificates = []
        else:
            lines = selectors.volunteer_lines(volunteer=volunteer, organisation=self.issuer)
            certificates = volunteer.certificates.order_by("-issued_at")
        context.update(
            person_name=volunteer.name if volunteer else self.participant.name,
            issuer=self.issuer,
            lines=lines,
            certificates=certificates,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            certificate = services.service_certificate_issue(
                volunteer=self.volunteer,
                organisation=self.issuer,
                period_from=data["period_from"],
                period_to=data["period_to"],
                person_in_charge=data["person_in_charge"],
                handler=data["handler"],
                contact=data["contact"],
                acting_user=self.request.user,
                request=self.pending_request(),
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Certificate %(number)s issued.") % {"number": certificate.number}
        )
        return redirect("volunteers:certificate-pdf", number=certificate.number)

    def pending_request(self):
        return None


class VolunteerDetailView(StaffRequiredMixin, _IssueMixin, FormView):
    """``/volunteers/<pk>/``: all of a volunteer's rows; issue in the federation's name."""

    issuer = None

    def dispatch(self, request, *args, **kwargs):
        # The role first: whether a volunteer exists is itself staff-only knowledge.
        if not self.has_permission():
            return self.handle_no_permission()
        self.summary = selectors.volunteer_get_summary(pk=kwargs["pk"])
        self.volunteer = self.summary.volunteer
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=self.summary, **kwargs)

    def pending_request(self):
        return self.volunteer.requests.filter(status=CertificateRequest.Status.PENDING).first()


class MyVolunteerListView(OrganisationRequiredMixin, TemplateView):
    """``/my/volunteers/``: the organisation's volunteers and the hours *it* recorded."""

    org_admin_required = True
    template_name = "volunteers/my_volunteer_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.volunteer_rows_for_organisation(organisation=self.organisation),
            certificates=selectors.certificate_list_for_issuer(organisation=self.organisation)[:20],
            **kwargs,
        )


class MyCertificateIssueView(OrganisationRequiredMixin, _IssueMixin, FormView):
    """``/my/volunteers/<participant>/certificate/``: issue over the organisation's own rows."""

    org_admin_required = True

    def setup_volunteer(self, *, create: bool):
        self.participant = selectors.participant_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )
        self.issuer = self.organisation
        self.volunteer = selectors.volunteer_get_for_participant(participant=self.participant)
        if self.volunteer is None and create:
            # Its own volunteer record (one row, no match): never joined by a guess.
            self.volunteer = services.volunteer_get_or_create_for_participant(
                participant=self.participant, acting_user=self.request.user
            )

    def get(self, request, *args, **kwargs):
        self.setup_volunteer(create=False)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_volunteer(create=True)
        return super().post(request, *args, **kwargs)


class CertificatePdfView(LoginRequiredMixin, View):
    """The certificate's PDF for its issuer (staff, or the issuing organisation's admins)."""

    def get(self, request, number):
        certificate = selectors.certificate_get_by_number(number=number)
        if certificate is None:
            raise Http404
        if not request.user.has_perm("volunteers.issue_certificate", certificate.organisation):
            raise PermissionDenied
        response = HttpResponse(
            service_certificate_pdf(certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
        return response


class VerifyView(TemplateView):
    """``/volunteers/verify/<number>/``: public; confirms a certificate, shows little."""

    template_name = "volunteers/verify.html"

    def get_context_data(self, **kwargs):
        certificate = selectors.certificate_get_by_number(number=kwargs["number"])
        if certificate is None:
            raise Http404
        return super().get_context_data(certificate=certificate, **kwargs)


class CertificateRequestView(FormView):
    """Step 1: a volunteer asks with their mobile; a code goes out only if it is known."""

    template_name = "volunteers/request_form.html"
    form_class = CertificateRequestForm

    def form_valid(self, form):
        data = form.cleaned_data
        ip_ok = ratelimit_hit(
            scope="vcert-ip",
            value=client_ip(self.request),
            limit=REQUEST_PER_IP[0],
            period=REQUEST_PER_IP[1],
        )
        mobile_ok = ratelimit_hit(
            scope="vcert-mobile",
            value=data["mobile"],
            limit=REQUEST_PER_MOBILE[0],
            period=REQUEST_PER_MOBILE[1],
        )
        if not (ip_ok and mobile_ok):
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        code_send(data["mobile"])
        self.request.session[SESSION_KEY] = {
            "mobile": data["mobile"],
            "from": data["period_from"].isoformat(),
            "to": data["period_to"].isoformat(),
        }
        return redirect("volunteers:request-confirm")


class CertificateRequestConfirmView(FormView):
    """Step 2: the code. Right or not, known number or not, the answer never tells."""

    template_name = "volunteers/request_confirm.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = request.session.get(SESSION_KEY)
        if not self.pending:
            return redirect("volunteers:request")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not ratelimit_hit(
            scope="vcert-confirm",
            value=client_ip(self.request),
            limit=CONFIRM_PER_IP[0],
            period=CONFIRM_PER_IP[1],
        ):
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        mobile = self.pending["mobile"]
        if not code_check(mobile, form.cleaned_data["code"]):
            form.add_error("code", _("The code is wrong or has expired."))
            return self.form_invalid(form)
        services.certificate_request_create(
            mobile=mobile,
            period_from=datetime.date.fromisoformat(self.pending["from"]),
            period_to=datetime.date.fromisoformat(self.pending["to"]),
        )
        del self.request.session[SESSION_KEY]
        return redirect(reverse("volunteers:request-done"))


class CertificateRequestDoneView(TemplateView):
    template_name = "volunteers/request_done.html"
