"""Forms for member organisations' own events and their review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import IsoDateTimeInput

from .models import Event
from .services.member_events import MEMBER_EVENT_FIELDS, MEMBER_KINDS

DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class MemberEventForm(forms.ModelForm):
    """An org admin's event for their own organisation (reviewed before it is public)."""

    class Meta:
        model = Event
        fields = list(MEMBER_EVENT_FIELDS)
        widgets = {name: IsoDateTimeInput() for name in DATETIME_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in Event.Kind.choices if value in MEMBER_KINDS
        ]
        for name in DATETIME_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for returning"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
