"""Input shapes for the event pages; the rules live in services."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from core.widgets import IsoDateTimeInput, IsoMonthInput
from federation.models import Street

from .models import Event, Participant
from .validators import normalize_mobile, validate_mobile

# The federation was founded in 2007; months and years outside this range are bad input
# (and the far ends would overflow date arithmetic).
FIRST_YEAR, LAST_YEAR = 2007, 2100


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[
            ("", _("all kinds")),
            *[(v, label) for v, label in Event.Kind.choices if v != Event.Kind.VOLUNTEER_SHIFT],
        ],
    )
    alliance = forms.ModelChoiceField(
        label=_("alliance"),
        required=False,
        queryset=Alliance.objects.order_by("position", "code"),
        to_field_name="code",
        empty_label=_("all alliances"),
    )
    street = forms.ModelChoiceField(
        label=_("street"),
        required=False,
        queryset=Street.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("all streets"),
    )
    month = forms.DateField(
        label=_("month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=IsoMonthInput(),
    )

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month and not (FIRST_YEAR <= month.year <= LAST_YEAR):
            raise forms.ValidationError(_("Choose a month between 2007 and 2100."), code="month")
        return month

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.event_list_public``.

        An invalid field is ignored (the page shows its error); the valid ones still apply.
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "alliance_code": data["alliance"].code if data.get("alliance") else "",
            "street_code": data["street"].code if data.get("street") else "",
            "month": data.get("month"),
        }


class QuarterPlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def year_or(self, default: int) -> int:
        """The chosen year; ``default`` when absent or invalid."""
        return self.cleaned_data["year"] if self.is_valid() else default


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``YYYY-MM`` to the first of that month; ``default`` when absent or malformed."""
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()  # noqa: DTZ007 - a date only
    except ValueError:
        return default.replace(day=1)
    if not (FIRST_YEAR <= month.year <= LAST_YEAR):
        return default.replace(day=1)
    return month


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("mobile"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = normalize_mobile(super().clean(value))
        validate_mobile(value)
        return value


class ParticipantForm(forms.ModelForm):
    mobile = MobileField()

    class Meta:
        model = Participant
        fields = ["name", "mobile", "role", "is_active"]


class RegistrationCreateForm(forms.Form):
    participants = forms.ModelMultipleChoiceField(
        label=_("who will come"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Add people to your list under “Participants” first."),
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants


class VisitorSignupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    mobile = MobileField()
    email = forms.EmailField(
        label=_("e-mail address"),
        required=False,
        help_text=_("Optional: we send the e-ticket here."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and mobile number are used to organise this event and "
            "deleted afterwards."
        )
    )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Ticket code, name or last four mobile digits"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


class HoursCorrectionForm(forms.Form):
    hours = forms.DecimalField(
        label=_("hours"), max_digits=5, decimal_places=2, min_value=Decimal("0")
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class EventCancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=300)


class SecretaryEventForm(forms.ModelForm):
    """An alliance secretary's training or team building for their own alliance."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "alliance",
            "title",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "venue_name",
            "address",
            "street",
            "audience",
            "is_alliance_only",
            "capacity",
            "per_organisation_limit",
            "registration_opens_at",
            "registration_closes_at",
            "waitlist_enabled",
            "cover_image",
        ]
        widgets = {
            "starts_at": IsoDateTimeInput(),
            "ends_at": IsoDateTimeInput(),
            "registration_opens_at": IsoDateTimeInput(),
            "registration_closes_at": IsoDateTimeInput(),
        }

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in Event.Kind.choices if value in Event.ALLIANCE_KINDS
        ]
        self.fields["alliance"].queryset = alliances
        self.fields["alliance"].required = True
        self.fields["alliance"].empty_label = None
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
