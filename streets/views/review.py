"""``/streets/review/``: federation staff approve hubs' events and read hubs' recommendations.

A hub's recommendation sits beside each pending application; the decision
stays with federation staff in the back office (approve / reject there).
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from events.selectors_hubs import hub_event_get_for_review, hub_event_list_for_review
from events.services import hub_events as services
from federation.selectors_hubs import application_list_with_recommendations

from ..forms import ReturnForm


class ReviewerMixin(PermissionRequiredMixin):
    permission_required = "federation.review_hub_work"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "streets")
        return super().get_context_data(**kwargs)


class ReviewHomeView(ReviewerMixin, TemplateView):
    template_name = "streets/review.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            events=list(hub_event_list_for_review()),
            applications=list(application_list_with_recommendations()),
            **kwargs,
        )


class ReviewApproveView(ReviewerMixin, View):
    def post(self, request, *args, **kwargs):
        event = hub_event_get_for_review(pk=kwargs["pk"])
        try:
            services.hub_event_approve(event=event, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The event is published."))
        return HttpResponseRedirect(reverse("streets:review"))


class ReviewReturnView(ReviewerMixin, FormView):
    template_name = "streets/review_return.html"
    form_class = ReturnForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=hub_event_get_for_review(pk=self.kwargs["pk"]), **kwargs
        )

    def form_valid(self, form):
        event = hub_event_get_for_review(pk=self.kwargs["pk"])
        try:
            services.hub_event_return(
                event=event, reason=form.cleaned_data["reason"], acting_user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The event was returned to the hub."))
        return HttpResponseRedirect(reverse("streets:review"))
