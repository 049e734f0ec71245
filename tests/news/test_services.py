"""Only staff publish; notices reach exactly the addressed org admins, once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from federation.models import Street
from news import services
from news.models import Article
from notifications.models import Message
from tests.alliances.factories import AllianceMembershipFactory, alliance
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    StaffFactory,
    UserFactory,
    error_codes,
)

pytestmark = pytest.mark.django_db


def _notice(editor, **fields):
    fields.setdefault("title", "关于开展季度培训的通知")
    fields.setdefault("category", Article.Category.NOTICE)
    return services.article_create(acting_user=editor, **fields)


def _notified_users(article):
    return set(
        Message.objects.filter(
            kind="news_notice", dedupe_key__startswith=f"news_notice:{article.pk}:"
        ).values_list("recipient_id", flat=True)
    )


def test_article_create_makes_a_draft_with_a_slug():
    editor = FederationStaffFactory()
    article = services.article_create(acting_user=editor, title="春芽基金十周年", body="**好**")
    assert article.status == Article.Status.DRAFT
    assert article.slug.endswith("chun-ya-ji-jin-shi-zhou-nian")
    assert article.created_by == editor


@pytest.mark.parametrize(
    "make_user",
    [
        UserFactory,
        StaffFactory,  # is_staff alone is not enough: the staff group's rule decides
        lambda: OrgAdminFactory().user,
    ],
)
def test_only_news_editors_write_and_publish(make_user):
    editor = FederationStaffFactory()
    article = services.article_create(acting_user=editor, title="新闻")
    user = make_user()
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=user, title="冒充")
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, acting_user=user)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, acting_user=user, title="改")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_superuser_may_publish():
    admin = StaffFactory(is_superuser=True)
    article = services.article_create(acting_user=admin, title="新闻")
    published = services.article_publish(article=article, acting_user=admin)
    assert published.status == Article.Status.PUBLISHED
    assert published.published_at is not None


def test_article_publish_refuses_twice():
    editor = FederationStaffFactory()
    article = services.article_create(acting_user=editor, title="新闻")
    services.article_publish(article=article, acting_user=editor)
    with pytest.raises(ValidationError) as exc:
        services.article_publish(article=article, acting_user=editor)
    assert exc.value.code == "already_published"


def test_article_unpublish_refuses_a_draft():
    editor = FederationStaffFactory()
    article = services.article_create(acting_user=editor, title="新闻")
    with pytest.raises(ValidationError) as exc:
        services.article_unpublish(article=article, acting_user=editor)
    assert exc.value.code == "not_published"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"category": Article.Category.NEWS, "audience": "all_members"}, "audience_not_notice"),
        ({"audience": "alliance"}, "alliance_required"),
        ({"audience": "street"}, "street_required"),
    ],
)
def test_article_create_refuses_an_incomplete_audience(fields, code):
    with pytest.raises(ValidationError) as exc:
        _notice(FederationStaffFactory(), **fields)
    assert code in error_codes(exc.value)


def test_notice_to_all_members_reaches_each_active_org_admin_once():
    editor = FederationStaffFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    both = OrgAdminFactory(organisation=first).user  # administers two: still one e-mail
    OrgAdminFactory(organisation=second, user=both)
    other = OrgAdminFactory(organisation=second).user
    plain_member = UserFactory()
    OrganisationMemberFactory(organisation=first, user=plain_member)
    lapsed_admin = OrgAdminFactory(organisation=OrganisationFactory(status="lapsed")).user
    inactive = OrgAdminFactory(organisation=first, user__is_active=False).user

    notice = _notice(editor, audience="all_members")
    services.article_publish(article=notice, acting_user=editor)

    assert _notified_users(notice) == {both.pk, other.pk}
    assert plain_member.pk not in _notified_users(notice)
    assert lapsed_admin.pk not in _notified_users(notice)
    assert inactive.pk not in _notified_users(notice)
    # Withdrawn and published again: nobody hears twice.
    services.article_unpublish(article=notice, acting_user=editor)
    services.article_publish(article=notice, acting_user=editor)
    assert Message.objects.filter(kind="news_notice").count() == 2


def test_notice_to_an_alliance_reaches_only_its_active_members_admins():
    editor = FederationStaffFactory()
    elderly = alliance("elderly")
    member = AllianceMembershipFactory(alliance=elderly).organisation
    pending = AllianceMembershipFactory(alliance=elderly, status="pending").organisation
    elsewhere = AllianceMembershipFactory(alliance=alliance("youth")).organisation
    member_admin, pending_admin, elsewhere_admin = (
        OrgAdminFactory(organisation=member).user,
        OrgAdminFactory(organisation=pending).user,
        OrgAdminFactory(organisation=elsewhere).user,
    )
    notice = _notice(editor, audience="alliance", audience_alliance=elderly)
    services.article_publish(article=notice, acting_user=editor)
    assert _notified_users(notice) == {member_admin.pk}
    assert {pending_admin.pk, elsewhere_admin.pk}.isdisjoint(_notified_users(notice))
    message = Message.objects.get(kind="news_notice")
    assert message.context["audience"] == elderly.name
    assert message.context["url"].endswith(notice.get_absolute_url())


def test_notice_to_a_street_reaches_only_its_organisations_admins():
    editor = FederationStaffFactory()
    here, there = Street.objects.order_by("code")[:2]
    admin_here = OrgAdminFactory(organisation=OrganisationFactory(street=here)).user
    OrgAdminFactory(organisation=OrganisationFactory(street=there))
    notice = _notice(editor, audience="street", audience_street=here)
    services.article_publish(article=notice, acting_user=editor)
    assert _notified_users(notice) == {admin_here.pk}


def test_news_item_sends_no_mail():
    editor = FederationStaffFactory()
    OrgAdminFactory()
    article = services.article_create(acting_user=editor, title="新闻")
    services.article_publish(article=article, acting_user=editor)
    assert not Message.objects.exists()


def test_future_publish_date_holds_the_mail_until_then(ordinary_day):
    editor = FederationStaffFactory()
    OrgAdminFactory()
    later = timezone.now() + datetime.timedelta(days=2)
    notice = _notice(editor, audience="all_members", published_at=later)
    services.article_publish(article=notice, acting_user=editor)
    assert Message.objects.get(kind="news_notice").due_at == later


def test_audience_cannot_change_once_a_notice_has_gone_out():
    editor = FederationStaffFactory()
    notice = _notice(editor, audience="all_members")
    services.article_publish(article=notice, acting_user=editor)
    with pytest.raises(ValidationError) as exc:
        services.article_update(
            article=notice, acting_user=editor, audience="alliance", audience_alliance=alliance()
        )
    assert "audience_locked" in error_codes(exc.value)
    services.article_update(article=notice, acting_user=editor, title="更正后的标题")


def test_article_relations_are_set_by_the_service():
    editor = FederationStaffFactory()
    elderly = alliance("elderly")
    street = Street.objects.order_by("code").first()
    article = services.article_create(
        acting_user=editor,
        title="新闻",
        related_alliances=[elderly],
        related_streets=[street],
    )
    assert list(article.related_alliances.all()) == [elderly]
    assert list(article.related_streets.all()) == [street]
