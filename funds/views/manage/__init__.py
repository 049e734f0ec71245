"""Staff pages under /fund/manage/<fund>/: managers post, auditors read."""

from ._base import FundManagerMixin, FundStaffMixin, ServiceFormView, _as_of, _year, already_posted
from .donations import (
    CharitySaleCreateView,
    CharitySaleListView,
    DonationCreateView,
    DonationListView,
    DonationReceiptView,
    LetterIssueView,
    LetterPdfView,
    PerformanceCreateView,
)
from .grants import AttachmentView, GrantActionView, GrantDetailView, GrantEnterView, GrantListView
from .ledger import (
    DashboardView,
    EntryCreateView,
    EntryDetailView,
    EntryListView,
    EntryReverseView,
    ExportView,
    ManageIndexView,
    PeriodCloseView,
    TrialBalanceView,
)
from .pledges import (
    BankImportView,
    InstalmentReceiveView,
    PledgeCreateView,
    PledgeDetailView,
    PledgeListView,
)

__all__ = [
    "FundStaffMixin",
    "FundManagerMixin",
    "ServiceFormView",
    "already_posted",
    "_year",
    "_as_of",
    "ManageIndexView",
    "DashboardView",
    "EntryListView",
    "EntryDetailView",
    "EntryReverseView",
    "EntryCreateView",
    "TrialBalanceView",
    "PeriodCloseView",
    "ExportView",
    "DonationListView",
    "DonationCreateView",
    "DonationReceiptView",
    "LetterIssueView",
    "LetterPdfView",
    "CharitySaleListView",
    "CharitySaleCreateView",
    "PerformanceCreateView",
    "PledgeListView",
    "PledgeCreateView",
    "PledgeDetailView",
    "InstalmentReceiveView",
    "BankImportView",
    "GrantListView",
    "GrantEnterView",
    "GrantDetailView",
    "GrantActionView",
    "AttachmentView",
]
