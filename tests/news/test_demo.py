import io

import pytest

from events.models import Event
from funds.models import Partner
from news import demo
from news.models import Article
from notifications.models import Message
from tests.alliances.factories import AllianceMembershipFactory
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
)
from tests.funds.factories import FundManagerFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (Article.objects.count(), Partner.objects.count(), Event.objects.count())


def test_demo_is_idempotent_and_tells_the_story():
    FederationStaffFactory(email="staff@yilu.example")
    FundManagerFactory(email="fund@yilu.example")
    organisation = OrganisationFactory()
    OrgAdminFactory(organisation=organisation, user__email="org@yilu.example")
    member_admin = OrgAdminFactory(
        organisation=AllianceMembershipFactory(alliance__code="elderly").organisation
    ).user

    demo.seed(io.StringIO())
    first = _counts()
    demo.seed(io.StringIO())
    assert _counts() == first

    articles = Article.objects.all()
    assert articles.count() == 12
    assert all("演示" in article.title for article in articles)
    assert articles.filter(category="notice").count() == 4
    assert set(articles.values_list("status", flat=True)) == {"published"}
    notified = set(Message.objects.filter(kind="news_notice").values_list("recipient", flat=True))
    assert member_admin.pk in notified
    assert Partner.objects.count() == 4
    assert all(partner.logo for partner in Partner.objects.all())
    own = Event.objects.filter(organisation=organisation)
    assert sorted(own.values_list("status", "review_state")) == [
        ("draft", "submitted"),
        ("published", "approved"),
    ]
    assert Event.objects.filter(is_alliance_only=True, status="published").count() == 1
