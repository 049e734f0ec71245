"""Input shapes for the caravan pages (rules live in the services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Qualification, Series


class GenerateForm(forms.Form):
    series = forms.ModelChoiceField(
        label=_("caravan series"), queryset=Series.objects.filter(is_active=True)
    )
    first_month = forms.DateField(
        label=_("from the month of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    months = forms.IntegerField(label=_("months"), min_value=1, max_value=24, initial=3)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class ApplyForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("people on duty"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From your organisation's participants; a qualified person where required."),
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = participants
        self.fields["people"].label_from_instance = _person_label


def _person_label(person) -> str:
    quals = [q.get_kind_display() for q in person.qualifications.all()]
    return f"{person.name}（{'、'.join(str(q) for q in quals)}）" if quals else person.name


class RecordForm(forms.Form):
    people_served = forms.IntegerField(label=_("people served"), min_value=0)
    turnover = forms.DecimalField(
        label=_("turnover (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class PostProceedsForm(forms.Form):
    received_on = forms.DateField(
        label=_("received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["participant", "kind", "number", "issuer", "expires_on", "scan"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("spreadsheet (.xlsx)"),
        help_text=_("Columns: date, service code, people served, organisation, turnover, note."),
    )


def year_choice(value: str | None) -> int:
    """A year from the query string, this year when absent or odd."""
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2009 <= year <= 2100 else timezone.localdate().year


__all__ = [
    "ApplyForm",
    "GenerateForm",
    "HistoryImportForm",
    "PostProceedsForm",
    "QualificationForm",
    "ReasonForm",
    "RecordForm",
    "year_choice",
]
