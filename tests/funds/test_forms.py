"""The fund forms as a browser sends them (issue 11); the real browser runs in tests/browser/."""

import re
import uuid

import pytest
from django.utils import timezone

from funds.models import JournalEntry

from .factories import past_day

pytestmark = pytest.mark.django_db

ENTRY_URL = "/fund/manage/SBF/ledger/new/"


def test_manual_entry_posts_with_untouched_rows_sending_their_first_option(client, fund, manager):
    client.force_login(manager)
    page = client.get(ENTRY_URL)
    total = int(page.context["formset"].management_form["TOTAL_FORMS"].value())
    assert total == 6
    accounts = {account.role: account.pk for account in fund.accounts.all()}
    data = {
        "entry_on": past_day().isoformat(),
        "description": "银行手续费",
        "source_reference": "",
        "submission_key": str(uuid.uuid4()),
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-account": accounts["fee_expense"],
        "lines-0-side": "debit",
        "lines-0-amount": "12.50",
        "lines-1-account": accounts["cash"],
        "lines-1-side": "credit",
        "lines-1-amount": "12.50",
    }
    for index in range(2, total):
        # What a browser sends for an untouched row: the blank account, the first side.
        data.update({f"lines-{index}-account": "", f"lines-{index}-side": "debit"})
        data[f"lines-{index}-amount"] = ""
    response = client.post(ENTRY_URL, data)
    entry = JournalEntry.objects.get()
    assert response.status_code == 302, response.context["formset"].errors
    assert entry.postings.count() == 2


def test_a_half_filled_row_is_still_refused(client, fund, manager):
    client.force_login(manager)
    accounts = {account.role: account.pk for account in fund.accounts.all()}
    data = {
        "entry_on": past_day().isoformat(),
        "description": "期初",
        "submission_key": str(uuid.uuid4()),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-account": accounts["cash"],
        "lines-0-side": "debit",
        "lines-0-amount": "1.00",
        "lines-1-account": accounts["opening_balance"],
        "lines-1-side": "credit",
        "lines-1-amount": "1.00",
        "lines-2-account": "",
        "lines-2-side": "debit",
        "lines-2-amount": "3.00",  # an amount without its account
    }
    response = client.post(ENTRY_URL, data)
    assert response.status_code == 200
    assert "account" in response.context["formset"].errors[2]
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    "url", [ENTRY_URL, "/fund/manage/SBF/donations/new/", "/fund/manage/SBF/performances/new/"]
)
def test_fund_forms_render_their_default_dates_in_iso(client, fund, manager, url):
    client.force_login(manager)
    client.cookies["django_language"] = "zh-hans"
    content = client.get(url).content.decode()
    today = timezone.localdate()
    dates = re.findall(r'<input type="date"[^>]*>', content)
    assert dates
    assert f'value="{today.isoformat()}"' in content
    assert today.strftime("%Y/%m/%d") not in content
