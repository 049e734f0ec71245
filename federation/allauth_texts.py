"""django-allauth's own texts that read badly in its Chinese catalogue ("Email" in Chinese sentences).

Listing the msgids here keeps them in our catalogue (``make messages``), whose
zh_Hans translations take precedence over allauth's (``LOCALE_PATHS`` first).
Nothing imports this module.
"""

from django.utils.translation import gettext_noop

ALLAUTH_TEXTS = [
    gettext_noop("Add Email"),
    gettext_noop("Add Email Address"),
    gettext_noop(
        "An account already exists with this email address. Please sign in to that "
        "account first, then connect your %s account."
    ),
    gettext_noop("Change Email"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Current email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email Changed"),
    gettext_noop("Email Confirmation"),
    gettext_noop("Email Removed"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Hello from %(site_name)s!"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Primary"),
    gettext_noop("Primary email address set."),
    gettext_noop("Re-send Verification"),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Your email has been confirmed."),
]
