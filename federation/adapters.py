"""django-allauth hooks: the only place the portal customises allauth."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Remember the language the person signed up in: e-mails follow it.
        language = translation.get_language_from_request(request) if request else None
        if language in {"zh-hans", "en"}:
            user.language = language
        return super().save_user(request, user, form, commit=commit)
