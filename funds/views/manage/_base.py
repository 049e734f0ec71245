"""What every fund staff page shares: the fund from the URL, the roles, service forms."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from ... import forms, selectors


class FundStaffMixin(PermissionRequiredMixin):
    """Fund managers and auditors; ``self.fund`` from the URL."""

    permission_required = "funds.view_ledger"

    def dispatch(self, request, *args, **kwargs):
        # Permission first: whoever may not see the fund must not learn which ids exist.
        if not self.has_permission():
            return self.handle_no_permission()
        self.fund = selectors.fund_get_by_code(kwargs["fund"])
        self.load_objects(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs) -> None:
        """Load the URL's objects (after the permission check); 404 when not this fund's."""

    def get_context_data(self, **kwargs):
        kwargs["fund"] = self.fund  # the URL's ``fund`` is the code; templates get the Fund
        kwargs.setdefault("can_manage", self.request.user.has_perm("funds.manage_fund"))
        return super().get_context_data(**kwargs)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"funds:{name}", kwargs={"fund": self.fund.code, **kwargs})


class FundManagerMixin(FundStaffMixin):
    permission_required = "funds.manage_fund"


class ServiceFormView(FundManagerMixin, FormView):
    """A form whose valid data goes to one service; its refusals come back as form errors."""

    template_name = "funds/manage_form.html"
    title = ""
    success_message = gettext_lazy("Saved.")

    def perform(self, data: dict):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.perform(form.cleaned_data)
        except ValidationError as exc:
            if exc.code == "duplicate_submission":
                return already_posted(self, exc)
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)


def already_posted(view: FundStaffMixin, exc: ValidationError) -> HttpResponseRedirect:
    """The same form arrived twice: show what the first one posted, not an error page."""
    messages.info(view.request, exc.messages[0])
    number = (exc.params or {}).get("number")
    if number:
        return redirect(view.url("entry-detail", number=number))
    return redirect(view.url("entry-list"))


SHORT_LIST = 20


def first_of(queryset, size: int = SHORT_LIST) -> tuple[list, bool]:
    """The first ``size`` rows of a list shown on a summary page, and whether there are more
    (one query: ``size + 1`` rows are read)."""
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size


def _year(request, default: int | None = None) -> int:
    form = forms.YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return default or timezone.localdate().year


def _as_of(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
