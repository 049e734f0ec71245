"""Input shapes for the catalogue's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from federation.models import ServiceField

from .models import ServiceOffering
from .selectors import street_list
from .services import DETAIL_FIELDS


class BootstrapFormMixin:
    """Give widgets the Bootstrap classes the templates expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class OfferingForm(BootstrapFormMixin, forms.ModelForm):
    """An offering's details; the status changes through its own buttons."""

    class Meta:
        model = ServiceOffering
        fields = list(DETAIL_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "contact_visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = ServiceField.objects.order_by("position")
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"
        self.fields["contact_visibility"].widget.attrs["class"] = "form-check-input"


class PhotoForm(BootstrapFormMixin, forms.Form):
    image = forms.ImageField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 3 MB."))
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("What the organisation should change; they receive it by e-mail."),
    )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (Chinese or pinyin)"), required=False, max_length=100)
    field = forms.ChoiceField(label=_("Service field"), required=False)
    street = forms.ChoiceField(label=_("Street or town"), required=False)

    def __init__(self, *args, service_fields=(), streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["field"].choices = everything + [(f.code, f.name) for f in service_fields]
        self.fields["street"].choices = everything + [(s.code, s.name) for s in streets]


def catalogue_filter_form(data, *, service_fields) -> CatalogueFilterForm:
    return CatalogueFilterForm(data, service_fields=service_fields, streets=list(street_list()))
