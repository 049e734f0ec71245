"""Writes for accounts.

Invariants owned here:
- a user's login e-mail is stored lower-case and is unique;
- demo and staff-created accounts have exactly one primary, verified e-mail;
- a person's name (姓名) is trimmed and never blank once given.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import User


@transaction.atomic(durable=True)
def user_create_verified(
    *,
    email: str,
    password: str,
    name: str = "",
    is_staff: bool = False,
    language: str = "zh-hans",
    groups: Iterable[str] = (),
) -> User:
    """Create a user whose e-mail counts as verified (staff-made or demo accounts)."""
    user = User.objects.create_user(
        email=email, password=password, name=name, is_staff=is_staff, language=language
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if groups:
        user.groups.add(*Group.objects.filter(name__in=list(groups)))
    return user


def user_name_clean(name: str) -> str:
    """The name trimmed; ``name_required`` when nothing is left."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Please enter your name."), code="name_required")
    if len(name) > 100:
        raise ValidationError(_("The name is too long (at most 100 characters)."), code="name_long")
    return name


@transaction.atomic(durable=True)
def user_profile_update(*, user: User, name: str, language: str, acting_user: User) -> User:
    """The person's own name and e-mail language; only they may change them here."""
    if acting_user.pk != user.pk:
        raise ValidationError(_("You may only edit your own profile."), code="not_yourself")
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose a language from the list."), code="language_unknown")
    user.name = user_name_clean(name)
    user.language = language
    user.save(update_fields=["name", "language"])
    return user
