"""The person's own page: ``/my/account/`` (name and e-mail language)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.forms import add_service_errors

from . import services
from .account_forms import ProfileForm


class AccountProfileView(LoginRequiredMixin, FormView):
    """``/my/account/``: anyone logged in edits their own name and language."""

    template_name = "federation/account_profile_form.html"
    form_class = ProfileForm

    def get_initial(self):
        user = self.request.user
        return {"name": user.name, "language": user.language}

    def form_valid(self, form):
        try:
            services.user_profile_update(
                user=self.request.user,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your profile was saved: you appear as %(name)s.") % {"name": self.request.user.name},
        )
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("federation:account-profile")
