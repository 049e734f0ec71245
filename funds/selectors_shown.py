"""The fund's figures as the public pages show them: kept until the fund changes.

Each value is computed by the selector of the same name and kept (``core.pagecache.
fragments_cached``) until the next write to the fund (the page cache's "funds"
namespace, which every ledger service bumps), the end of the day, and
``YILU_FRAGMENT_CACHE_SECONDS`` at most. For pages to show, never for a service's
decision: services read the ledger itself.
"""

from django.utils import timezone

from core.pagecache import fragment_cache_seconds, fragments_cached

from .models import Fund
from .selectors import (
    AccountBalance,
    FundSummary,
    YearTotals,
    fund_accounts_by_year,
    fund_summary,
)


def _shown(name: str, fund: Fund, compute):
    key = f"funds:{name}:{fund.pk}:{timezone.localdate().isoformat()}"
    return fragments_cached({key: (("funds",), compute)}, fragment_cache_seconds())[key]


def fund_accounts_by_year_shown(*, fund: Fund) -> list[tuple[YearTotals, list[AccountBalance]]]:
    """``fund_accounts_by_year`` for /fund/."""
    return _shown("accounts-by-year", fund, lambda: fund_accounts_by_year(fund=fund))


def fund_summary_shown(*, fund: Fund) -> FundSummary:
    """``fund_summary`` for the home page's box."""
    return _shown("summary", fund, lambda: fund_summary(fund=fund))
