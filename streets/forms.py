"""Forms for the hub staff area and the federation's review of hub work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event
from events.services.hub_events import HUB_EVENT_FIELDS
from events.services.member_events import MEMBER_KINDS
from federation.models import HubRecommendation, Organisation, StreetHub
from federation.services.hubs import HUB_PROFILE_FIELDS

DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class HubEventForm(forms.ModelForm):
    """A hub's own event, always held in its street."""

    class Meta:
        model = Event
        fields = list(HUB_EVENT_FIELDS)
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in DATETIME_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in Event.Kind.choices if value in MEMBER_KINDS
        ]
        for name in DATETIME_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class HubProfileForm(forms.ModelForm):
    class Meta:
        model = StreetHub
        fields = list(HUB_PROFILE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class RecommendationForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("recommendation"),
        choices=HubRecommendation.Verdict.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed unless you recommend without reservations."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for returning"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegistrySearchForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("membership status"),
        required=False,
        choices=[("", _("any status"))] + list(Organisation.Status.choices),
    )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Ticket code, name or last four mobile digits"), required=False, max_length=200
    )


class BoothRecordForm(forms.Form):
    """People served at a booth of a caravan held in the street (and a sale's turnover)."""

    people_served = forms.IntegerField(label=_("people served"), min_value=0)
    turnover = forms.DecimalField(
        label=_("turnover (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
