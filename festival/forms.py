from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Participant


class BootstrapFormMixin:
    """Give widgets the Bootstrap classes the templates expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


class NominationForm(BootstrapFormMixin, forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Person"), queryset=Participant.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What they did, where and for how long."),
    )

    def __init__(self, *args, organisation, for_organisation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if for_organisation:
            del self.fields["participant"]
        else:
            self.fields["participant"].required = True
            self.fields["participant"].queryset = Participant.objects.filter(
                organisation=organisation, is_active=True
            ).order_by("name", "pk")


class DecisionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
