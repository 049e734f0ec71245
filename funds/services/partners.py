"""Writes for the fund's partners (护芽伙伴): fund managers keep the list.

A partner holds no money: what it gave is read from its donor's ledger
entries, so nothing here touches the ledger.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from core.pagecache import page_cache_invalidates
from federation.models import User

from ..models import Partner

PARTNER_FIELDS = (
    "name",
    "slug",
    "kind",
    "logo",
    "story",
    "contribution",
    "website",
    "donor",
    "since_year",
    "position",
    "is_shown",
)


def _require_manager(user: User | None) -> None:
    if user is None or not user.has_perm("funds.manage_fund"):
        raise PermissionDenied


def _apply(partner: Partner, fields: dict) -> Partner:
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        Partner._meta.get_field(name).save_form_data(partner, value)
    if not partner.slug:
        from pypinyin import lazy_pinyin  # ~55 MB: loaded by the first write that needs it

        base = slugify(" ".join(lazy_pinyin(partner.name)))[:50] or "partner"
        slug, n = base, 2
        while Partner.objects.filter(slug=slug).exclude(pk=partner.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        partner.slug = slug
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def partner_create(*, acting_user: User | None, **fields) -> Partner:
    """A new partner; fund managers only (PermissionDenied otherwise)."""
    _require_manager(acting_user)
    return _apply(Partner(), fields)


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def partner_update(*, partner: Partner, acting_user: User | None, **fields) -> Partner:
    """Change a partner's page; fund managers only."""
    _require_manager(acting_user)
    locked = Partner.objects.select_for_update(no_key=True).get(pk=partner.pk)
    return _apply(locked, fields)
