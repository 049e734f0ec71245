from django import forms
from django.utils.translation import gettext_lazy as _

from federation.models import Organisation, Street

from .models import Alliance


class ApplicationForm(forms.Form):
    note = forms.CharField(
        label=_("Why does your organisation want to join? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("decision"), choices=[(APPROVE, _("approve")), (DECLINE, _("decline"))]
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declining; the applicant receives it by e-mail."),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MatrixFilterForm(forms.Form):
    q = forms.CharField(label=_("name contains"), required=False, max_length=100)
    street = forms.ModelChoiceField(
        label=_("street"), queryset=Street.objects.all(), required=False
    )
    alliance = forms.ModelChoiceField(
        label=_("member or applicant of"),
        queryset=Alliance.objects.all(),
        required=False,
        to_field_name="code",
    )
    organisation_status = forms.ChoiceField(
        label=_("federation membership"),
        choices=[("", _("any status")), *Organisation.Status.choices],
        required=False,
    )
    only_members = forms.BooleanField(
        label=_("only organisations in at least one alliance"), required=False
    )
