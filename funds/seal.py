"""The seal of a closed year: totals and a SHA-256 digest of its entries and postings.

``period_close`` stores the seal on the ``ClosedPeriod`` row; the nightly
integrity check recomputes it and alerts when the two differ, so a change the
database triggers should have refused (a trigger dropped, rows copied in with
triggers disabled) is still found the next morning. Each seal also covers the
previous closed year's digest: the closed years form a hash chain.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Seal:
    entry_count: int
    posting_count: int
    debit_total: Decimal
    digest: str


def seal_compute(*, entry_model, posting_model, fund_id: int, year: int, previous: str) -> Seal:
    """The seal of ``fund_id``'s ``year`` as the ledger stands now (models passed in, so a

    data migration can use its historical models).
    """
    entries = (
        entry_model.objects.filter(fund_id=fund_id, year=year)
        .order_by("sequence")
        .values_list("pk", "number", "entry_on", "kind", "reverses_id")
    )
    postings = (
        posting_model.objects.filter(entry__fund_id=fund_id, entry__year=year)
        .order_by("entry__sequence", "pk")
        .values_list("entry_id", "account__code", "side", "amount", "entry_on")
    )
    digest = hashlib.sha256(f"previous:{previous}\n".encode())
    entry_count = posting_count = 0
    debit_total = ZERO
    for pk, number, entry_on, kind, reverses_id in entries:
        entry_count += 1
        digest.update(f"E|{pk}|{number}|{entry_on.isoformat()}|{kind}|{reverses_id}\n".encode())
    for entry_id, account_code, side, amount, entry_on in postings:
        posting_count += 1
        if side == "debit":
            debit_total += amount
        digest.update(
            f"P|{entry_id}|{account_code}|{side}|{amount:.2f}|{entry_on.isoformat()}\n".encode()
        )
    return Seal(
        entry_count=entry_count,
        posting_count=posting_count,
        debit_total=debit_total.quantize(Decimal("0.01")),
        digest=digest.hexdigest(),
    )
