"""Forms about the person (not the organisation): sign-up with a name, the own profile."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms import BootstrapFormMixin

NAME_HELP = _("Your real name, as colleagues and the federation know you.")


def name_field(*, required: bool = True) -> forms.CharField:
    """姓名: required, trimmed, at most 100 characters (``User.name``)."""
    return forms.CharField(
        label=_("Name"),
        max_length=100,
        required=required,
        strip=True,
        help_text=NAME_HELP,
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the person's name first (``ACCOUNT_FORMS['signup']``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"name": name_field(), **self.fields}


class ProfileForm(BootstrapFormMixin, forms.Form):
    """``/my/account/``: the name and the language e-mails are written in."""

    name = name_field()
    language = forms.ChoiceField(
        label=_("preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("E-mails are written in this language."),
    )


class InvitationNameForm(BootstrapFormMixin, forms.Form):
    """Accepting an invitation asks the name of a person who has none yet."""

    name = name_field()
