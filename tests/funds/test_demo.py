"""The demo: the fund's story reproduced through the services, idempotently."""

import io
from decimal import Decimal

import pytest

from funds import demo
from funds.models import (
    CharitySale,
    Donation,
    Grant,
    JournalEntry,
    Pledge,
    PledgeInstalment,
    Posting,
)
from funds.selectors import pledge_instalment_list_overdue
from tests.federation.factories import (
    OrgAdminFactory,
    OrganisationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (JournalEntry, Posting, Donation, CharitySale, Pledge, PledgeInstalment, Grant)
    }


def test_demo_tells_the_story_and_runs_twice(client, fund, street):
    StaffFactory(email="admin@yilu.example", is_superuser=True)
    StaffFactory(email="staff@yilu.example")
    organisation = OrganisationFactory(street=street, name="静安示范社工服务社（虚构）")
    OrgAdminFactory(organisation=organisation)

    demo.seed(io.StringIO())
    first = _counts()
    demo.seed(io.StringIO())
    assert _counts() == first

    sws = CharitySale.objects.get(starts_on__year=2014)
    assert (sws.days, sws.turnover, sws.share_percent, sws.proceeds) == (
        5,
        Decimal("180000.00"),
        Decimal("20.00"),
        Decimal("36000.00"),
    )
    assert sws.entry.number == "SBF-2014-0001"  # the first gift
    pledge = Pledge.objects.get(donor__name="上海城市福祉社")
    assert pledge.share_percent == Decimal("100")
    assert pledge.instalments.filter(status="received").exists()
    assert pledge_instalment_list_overdue(fund=fund).filter(pledge=pledge).count() == 1
    assert Donation.objects.filter(donor__isnull=True).exists()
    assert Donation.objects.filter(donor__public_display="anonymous").exists()
    assert Grant.objects.filter(status=Grant.Status.PAID).count() == 1
    assert Grant.objects.filter(status=Grant.Status.APPROVED).count() == 1
    assert Grant.objects.filter(status=Grant.Status.SUBMITTED).count() == 1
    assert Posting.objects.filter(account__fund=fund).debit_minus_credit() == 0
    content = client.get("/fund/").content.decode()
    assert "刘思远" not in content and "刘*远" in content
