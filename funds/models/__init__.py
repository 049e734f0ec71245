"""Models of the Spring Bud Fund: the ledger, what comes in, what goes out."""

from .gifts import (
    AcknowledgementLetter,
    BankImport,
    BankTransaction,
    CharityPerformance,
    CharitySale,
    Donation,
    Donor,
    Pledge,
    PledgeInstalment,
)
from .grants import Grant, GrantApproval, GrantAttachment, GrantProgress, validate_attachment
from .ledger import (
    Account,
    ClosedPeriod,
    ClosedYearTotal,
    Fund,
    JournalEntry,
    NumberSeries,
    Posting,
)
from .partners import Partner

__all__ = [
    "AcknowledgementLetter",
    "Account",
    "BankImport",
    "BankTransaction",
    "CharityPerformance",
    "CharitySale",
    "ClosedPeriod",
    "ClosedYearTotal",
    "Donation",
    "Donor",
    "Fund",
    "Grant",
    "GrantApproval",
    "GrantAttachment",
    "GrantProgress",
    "JournalEntry",
    "NumberSeries",
    "Partner",
    "Pledge",
    "PledgeInstalment",
    "Posting",
    "validate_attachment",
]
