"""The partners page: only gifts the disclosure shows, names as donors chose."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds import services
from funds.models import Donor, Partner
from funds.selectors_partners import partner_list_public
from funds.services import partners as partner_services
from tests.federation.factories import StaffFactory

from .factories import give, past_day

pytestmark = pytest.mark.django_db


def _partner(name, donor=None, **fields):
    return Partner.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), donor=donor, **fields
    )


@pytest.fixture
def partners(fund, manager):
    """A named donor with two gifts (one reversed), an anonymous one, a partner without gifts."""
    named = give(
        fund,
        manager,
        amount="3600.00",
        new_donor=services.NewDonor(kind=Donor.Kind.COMPANY, name="SWS Outdoor"),
    ).donor
    give(fund, manager, amount="800.00", donor=named, days_ago=5)
    mistaken = give(fund, manager, amount="999.00", donor=named, days_ago=3)
    services.journal_entry_reverse(entry=mistaken.entry, reason="录入错误", acting_user=manager)
    hidden = give(
        fund,
        manager,
        amount="5000.00",
        new_donor=services.NewDonor(
            kind=Donor.Kind.COMPANY, name="Quiet Company", public_display="anonymous"
        ),
    ).donor
    give(  # a stranger's gift must not land on any partner
        fund, manager, amount="777.00", new_donor=services.NewDonor(kind="company", name="Other")
    )
    return {
        "named": _partner("SWS", donor=named, position=1),
        "hidden": _partner("Quiet", donor=hidden, position=2),
        "host": _partner("Host", position=3, contribution="每月运送蔬菜"),
    }


def test_partner_page_shows_only_disclosed_gifts(client, partners):
    response = client.get(reverse("funds:partners"))
    assert response.status_code == 200
    rows = {row.partner.name: row for row in response.context["partner_rows"]}
    assert [gift.amount for gift in rows["SWS"].gifts] == [Decimal("800.00"), Decimal("3600.00")]
    assert rows["SWS"].total == Decimal("4400.00")
    assert rows["Quiet"].gifts == []  # the donor chose to stay anonymous
    assert rows["Host"].gifts == []
    html = response.content.decode()
    assert "¥4,400.00" in html
    for undisclosed in ("999.00", "5,000.00", "777.00", "Quiet Company"):
        assert undisclosed not in html
    assert "每月运送蔬菜" in html


def test_hidden_partners_and_a_private_fund_show_nothing(fund, partners):
    Partner.objects.filter(pk=partners["host"].pk).update(is_shown=False)
    assert "Host" not in {row.partner.name for row in partner_list_public(fund=fund)}
    fund.is_public = False
    assert all(not row.gifts for row in partner_list_public(fund=fund))


def test_fund_page_has_the_partners_block(client, partners):
    html = client.get(reverse("funds:public")).content.decode()
    assert reverse("funds:partners") in html
    assert "SWS" in html


@pytest.mark.parametrize("extra", [0, 6])
def test_partner_list_query_count_is_constant(fund, manager, django_assert_max_num_queries, extra):
    for n in range(extra + 2):
        donor = give(
            fund, manager, new_donor=services.NewDonor(kind="company", name=f"伙伴{n}")
        ).donor
        _partner(f"P{n}", donor=donor)
    with django_assert_max_num_queries(2):
        rows = partner_list_public(fund=fund)
    assert len(rows) == extra + 2


def test_partner_gifts_query_lets_postgresql_start_from_the_donors(fund, partners):
    """No OR across the gift tables (no index answers it) and fewer than eight tables
    (PostgreSQL's from_collapse_limit): at 500k entries the query read every gift entry
    before it filtered them (1.1 s for eight gifts on /fund/ and /fund/partners/)."""
    with CaptureQueriesContext(connection) as context:
        rows = partner_list_public(fund=fund)
    (sql,) = [q["sql"] for q in context.captured_queries if "funds_journalentry" in q["sql"]]
    assert " OR " not in sql
    assert sql.count(" JOIN ") + 2 <= 8  # the entries, their joins, the donors' entry ids
    assert [gift.giver for gift in rows[0].gifts] == ["SWS Outdoor", "SWS Outdoor"]


def test_only_fund_managers_edit_partners(manager):
    with pytest.raises(PermissionDenied):
        partner_services.partner_create(acting_user=StaffFactory(), name="冒充")
    partner = partner_services.partner_create(acting_user=manager, name="城市超市", since_year=2015)
    assert partner.slug == "cheng-shi-chao-shi"


def test_partner_logo_is_checked_by_content(manager):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        partner_services.partner_create(acting_user=manager, name="假图标", logo=fake)
    assert "logo" in exc.value.error_dict


def test_gift_dates_are_the_ledger_dates(fund, partners):
    (row,) = [r for r in partner_list_public(fund=fund) if r.partner.name == "SWS"]
    assert row.gifts[0].received_on == past_day(5)
    assert isinstance(row.gifts[0].received_on, datetime.date)
