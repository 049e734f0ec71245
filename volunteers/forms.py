import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .verification import clean_mobile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapFormMixin:
    """Give widgets the Bootstrap classes the templates expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


def _year_start() -> datetime.date:
    return timezone.localdate().replace(month=1, day=1)


class PeriodMixin(BootstrapFormMixin, forms.Form):
    period_from = forms.DateField(label=_("Period from"), widget=DateInput(), initial=_year_start)
    period_to = forms.DateField(
        label=_("Period to"), widget=DateInput(), initial=timezone.localdate
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The period must end after it starts."))
        return data


class CertificateIssueForm(PeriodMixin):
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=100)
    handler = forms.CharField(label=_("Handler"), max_length=100)
    contact = forms.CharField(label=_("Issuer's contact"), max_length=100)


class CertificateRequestForm(PeriodMixin):
    field_order = ["mobile", "period_from", "period_to"]

    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_mobile(self):
        mobile = clean_mobile(self.cleaned_data["mobile"])
        if not mobile:
            raise forms.ValidationError(
                _("Enter a mainland mobile number of 11 digits starting with 1."),
                code="invalid_mobile",
            )
        return mobile


class CodeForm(BootstrapFormMixin, forms.Form):
    code = forms.RegexField(
        label=_("Verification code"),
        regex=r"^[0-9]{6}$",
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
