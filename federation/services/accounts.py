"""Writes for accounts.

Invariants owned here:
- a user's login e-mail is stored lower-case and is unique;
- demo and staff-created accounts have exactly one primary, verified e-mail.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

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
