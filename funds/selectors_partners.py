"""Reads for the partners page: each partner with the gifts its disclosure allows.

A gift is shown only when the public list shows it anyway: an income entry of
the public fund that stands (not reversed), from the partner's donor, and the
donor chose to be named. An anonymous donor's partner shows no gifts at all,
so its amounts cannot be tied to it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .models import Donor, Fund, Partner
from .selectors import GiftRow, gift_entries_public, gift_row

ZERO = Decimal("0.00")


@dataclass
class PartnerRow:
    partner: Partner
    gifts: list[GiftRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((gift.amount for gift in self.gifts), ZERO)


def _disclosed_donor_ids(partners: list[Partner]) -> set[int]:
    return {
        partner.donor_id
        for partner in partners
        if partner.donor_id and partner.donor.public_display == Donor.PublicDisplay.NAMED
    }


def partner_list_public(*, fund: Fund, limit: int | None = None) -> list[PartnerRow]:
    """Shown partners in order, each with its disclosed gifts (newest first); two queries."""
    partners = list(Partner.objects.shown().select_related("donor").order_by("position", "name"))
    if limit is not None:
        partners = partners[:limit]
    donor_ids = _disclosed_donor_ids(partners) if fund.is_public else set()
    rows = {partner.donor_id: PartnerRow(partner) for partner in partners if partner.donor_id}
    if donor_ids:
        entries = gift_entries_public(fund=fund).filter(
            Q(donation__donor_id__in=donor_ids)
            | Q(charity_sale__company_id__in=donor_ids)
            | Q(pledge_instalment__pledge__donor_id__in=donor_ids)
        )
        for entry in entries:
            rows[_donor_id_of(entry)].gifts.append(gift_row(entry))
    return [rows.get(partner.donor_id) or PartnerRow(partner) for partner in partners]


def _donor_id_of(entry) -> int:
    if hasattr(entry, "donation"):
        return entry.donation.donor_id
    if hasattr(entry, "charity_sale"):
        return entry.charity_sale.company_id
    return entry.pledge_instalment.pledge.donor_id
