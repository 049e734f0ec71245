"""Reads for the partners page: each partner with the gifts its disclosure allows.

A gift is shown only when the public list shows it anyway: an income entry of
the public fund that stands (not reversed), from the partner's donor, and the
donor chose to be named. An anonymous donor's partner shows no gifts at all,
so its amounts cannot be tied to it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from .models import CharitySale, Donation, Donor, Fund, Partner, PledgeInstalment
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
        donors = {partner.donor_id: partner.donor for partner in partners if partner.donor_id}
        # Few tables (the donors come from the partners): with more than eight in the
        # query, PostgreSQL (from_collapse_limit) joins every gift entry of the ledger
        # before it looks at the union, and reads them all (1.1 s at 500k entries).
        entries = (
            gift_entries_public(fund=fund)
            .filter(pk__in=_gift_entry_ids(donor_ids))
            .select_related(None)
            .prefetch_related(None)
            .select_related("donation", "charity_sale", "pledge_instalment__pledge")
        )
        for entry in entries:
            rows[_attach_donor(entry, donors)].gifts.append(gift_row(entry))
    return [rows.get(partner.donor_id) or PartnerRow(partner) for partner in partners]


def _gift_entry_ids(donor_ids: set[int]) -> QuerySet:
    """The entries of the donors' gifts, one indexed lookup per kind of gift (an OR over
    the three joined tables, ``donation__donor_id__in=… | …``, cannot use an index)."""
    donations = Donation.objects.filter(donor_id__in=donor_ids).values("entry_id")
    sales = CharitySale.objects.filter(company_id__in=donor_ids).values("entry_id")
    instalments = PledgeInstalment.objects.filter(
        pledge__donor_id__in=donor_ids, entry_id__isnull=False
    ).values("entry_id")
    return donations.order_by().union(sales.order_by(), instalments.order_by(), all=True)


def _attach_donor(entry, donors: dict) -> int:
    """Set the gift's donor from the partners' (no query); return its id."""
    if hasattr(entry, "donation"):
        gift, field_name = entry.donation, "donor"
    elif hasattr(entry, "charity_sale"):
        gift, field_name = entry.charity_sale, "company"
    else:
        gift, field_name = entry.pledge_instalment.pledge, "donor"
    donor_id = getattr(gift, f"{field_name}_id")
    setattr(gift, field_name, donors[donor_id])
    return donor_id
