"""Input shapes for the kernel's pages; the rules live in the services."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.widgets import IsoDateInput

from .creditcode import check_credit_code, credit_code_category_matches, normalise_credit_code
from .models import AnnualInspection, Organisation, OrganisationMember, ServiceField
from .selectors import alliance_list_for_filter, street_list
from .services import DETAIL_FIELDS, STAFF_ONLY_FIELDS
from .validators import normalise_phone

# The registry fields an organisation keeps itself: the services' list without
# the staff-only ones, with the service fields after the Party details.
PROFILE_FIELDS = [
    field
    for name in DETAIL_FIELDS
    if name not in STAFF_ONLY_FIELDS
    for field in ((name, "service_fields") if name == "party_member_count" else (name,))
]
DATE_WIDGET = IsoDateInput()


def https_formfield(db_field, **kwargs):
    """Model form fields, with websites typed without a scheme read as https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def _loose_credit_code_field(form) -> None:
    # Accept "5131 0106 MJ00 000189": the 18-character limit applies after normalising.
    field = form.fields["credit_code"]
    field.max_length = 40
    field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
    field.widget.attrs["maxlength"] = "40"


def _clean_credit_code(form) -> str:
    code = normalise_credit_code(form.cleaned_data.get("credit_code"))
    if not code:
        return code
    result = check_credit_code(code)
    if result.errors:
        raise forms.ValidationError(result.errors)
    taken = Organisation.objects.filter(credit_code=code)
    if form.instance.pk:
        taken = taken.exclude(pk=form.instance.pk)
    if taken.exists():
        raise forms.ValidationError(
            _("An organisation with this credit code already exists."), code="credit_code_taken"
        )
    return code


class BootstrapFormMixin:
    """Give widgets the Bootstrap classes the templates expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class OrganisationDetailsForm(BootstrapFormMixin, forms.ModelForm):
    """The organisation's own registry details (application and profile)."""

    credit_code_confirmed = forms.BooleanField(
        label=_("The credit code is exactly as printed on our registration certificate"),
        required=False,
        help_text=_("Tick only if the code above was reported as failing its check."),
    )

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        formfield_callback = https_formfield
        widgets = {
            "established_on": DATE_WIDGET,
            "certificate_valid_from": DATE_WIDGET,
            "certificate_valid_to": DATE_WIDGET,
            "service_fields": forms.CheckboxSelectMultiple,
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_fields"].queryset = ServiceField.objects.order_by("position")
        self.fields["street"].queryset = street_list()
        _loose_credit_code_field(self)

    def clean_credit_code(self) -> str:
        return _clean_credit_code(self)

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("contact_phone"))

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        if code and not cleaned.get("credit_code_confirmed") and self._warning_applies(code):
            result = check_credit_code(code)
            if result.warnings:
                self.add_error("credit_code", result.warnings)
        return cleaned

    def _warning_applies(self, code: str) -> bool:
        instance = self.instance
        # A code staff already accepted for this organisation needs no new confirmation.
        return not (
            instance.pk and instance.credit_code_warning_accepted and code == instance.credit_code
        )

    def details(self) -> dict:
        """The registry values for the service (without service fields and the checkbox)."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("service_fields", "credit_code_confirmed")
        }


class MembershipApplicationForm(OrganisationDetailsForm):
    """Apply for membership: the organisation's details as on its certificate."""


class OrganisationProfileForm(OrganisationDetailsForm):
    """An org admin's profile edit; credit code and legal form changes wait for staff."""


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or pinyin initials"), required=False, max_length=100)
    street = forms.ChoiceField(label=_("Street or town"), required=False)
    legal_form = forms.ChoiceField(label=_("Legal form"), required=False)
    field = forms.ChoiceField(label=_("Service field"), required=False)
    alliance = forms.ChoiceField(label=_("Alliance"), required=False)
    rating = forms.ChoiceField(label=_("Rating"), required=False)

    def __init__(self, *args, streets=None, service_fields=None, alliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["street"].choices = everything + [(s.code, s.name) for s in streets or []]
        self.fields["legal_form"].choices = everything + list(Organisation.LegalForm.choices)
        self.fields["field"].choices = everything + [(f.code, f.name) for f in service_fields or []]
        self.fields["alliance"].choices = everything + [(a.code, a.name) for a in alliances or []]
        self.fields["rating"].choices = everything + list(Organisation.Rating.choices)
        if not alliances:
            del self.fields["alliance"]


def directory_filter_form(data) -> DirectoryFilterForm:
    return DirectoryFilterForm(
        data,
        streets=list(street_list()),
        service_fields=list(ServiceField.objects.order_by("position")),
        alliances=alliance_list_for_filter(),
    )


class InvitationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganisationMember.Role.choices,
        initial=OrganisationMember.Role.MEMBER,
    )


class MemberRoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices)


class OrganisationSwitchForm(forms.Form):
    # Bounded so a forged id past the database's integer range is a 404, not a 500.
    organisation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --- Back office --------------------------------------------------------------


class OrganisationAdminForm(forms.ModelForm):
    """The admin's organisation form: the status is changed only by the actions."""

    accept_credit_code_warning = forms.BooleanField(
        label=_("Accept the credit code although its 17th character fails the check"),
        required=False,
        help_text=_("Only after comparing it with the registration certificate."),
    )

    class Meta:
        model = Organisation
        fields = [*PROFILE_FIELDS, "joined_on"]
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _loose_credit_code_field(self)

    def clean_credit_code(self) -> str:
        return _clean_credit_code(self)

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("contact_phone"))

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        if not code:
            return cleaned
        # self.instance still holds the stored values here (the form copies its
        # values onto it only after clean()).
        accepted_before = (
            self.instance.pk
            and self.instance.credit_code == code
            and self.instance.credit_code_warning_accepted
        )
        result = check_credit_code(code)
        if (
            result.warnings
            and not accepted_before
            and not cleaned.get("accept_credit_code_warning")
        ):
            self.add_error("credit_code", result.warnings)
        legal_form = cleaned.get("legal_form")
        if legal_form and not credit_code_category_matches(code, legal_form):
            self.add_error(
                "credit_code",
                forms.ValidationError(
                    _("The second character of the credit code names another legal form."),
                    code="credit_code_legal_form_mismatch",
                ),
            )
        return cleaned


class MembershipActionForm(forms.Form):
    """Reason (and, for approvals, the credit-code acceptance) for a lifecycle action."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    accept_credit_code_warning = forms.BooleanField(
        label=_("Accept credit codes whose 17th character fails the check"), required=False
    )


class AnnualInspectionAdminForm(forms.ModelForm):
    class Meta:
        model = AnnualInspection
        fields = ["organisation", "year", "status", "note"]

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        if organisation is not None and not organisation.files_annual_inspection:
            raise forms.ValidationError(
                _("This legal form files no annual inspection with civil affairs."),
                code="inspection_not_required",
            )
        return cleaned
