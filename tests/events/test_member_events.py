"""Events that member organisations draft, submit for review and run themselves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Event, Registration
from events.selectors import event_list_public
from events.selectors_member import member_event_list_for_organisation
from events.services import member_events as services
from notifications.models import Message
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    StaffFactory,
    UserFactory,
    error_codes,
)

from .factories import EventFactory, ParticipantFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "kind": Event.Kind.TRAINING,
        "title": "社区志愿者急救技能培训",
        "summary": "心肺复苏与止血包扎",
        "starts_at": in_days(14, 14),
        "ends_at": in_days(14, 16),
        "venue_name": "幸福益站活动室",
        "capacity": 20,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def admin(organisation):
    return OrgAdminFactory(organisation=organisation).user


@pytest.fixture
def draft(organisation, admin):
    return services.member_event_create(organisation=organisation, acting_user=admin, **_fields())


def test_org_admin_drafts_an_event_of_their_organisation(draft, organisation):
    assert draft.organisation == organisation
    assert draft.status == Event.Status.DRAFT
    assert draft.review_state == Event.Review.NONE
    assert draft.slug
    assert draft not in event_list_public()


def test_plain_member_and_other_org_admin_cannot_draft(organisation):
    member = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=member)
    stranger = OrgAdminFactory().user
    for user in (member, stranger):
        with pytest.raises(PermissionDenied):
            services.member_event_create(organisation=organisation, acting_user=user, **_fields())


def test_member_event_create_refuses_caravan_and_inactive_organisations(organisation, admin):
    with pytest.raises(ValidationError) as exc:
        services.member_event_create(
            organisation=organisation, acting_user=admin, **_fields(kind=Event.Kind.CARAVAN)
        )
    assert "kind_forbidden" in error_codes(exc.value)
    lapsed = OrganisationFactory(status="lapsed")
    with pytest.raises(ValidationError) as exc:
        services.member_event_create(
            organisation=lapsed, acting_user=OrgAdminFactory(organisation=lapsed).user, **_fields()
        )
    assert exc.value.code == "organisation_not_active"


def test_org_admin_cannot_publish_without_review(draft, admin):
    with pytest.raises(ValidationError):
        event_services.event_publish(event=draft, acting_user=admin)
    with pytest.raises(PermissionDenied):
        services.member_event_publish(event=draft, acting_user=admin)
    services.member_event_submit(event=draft, acting_user=admin)
    with pytest.raises(PermissionDenied):
        services.member_event_publish(event=draft, acting_user=admin)
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_reviewer_publishes_a_submitted_event_and_the_admins_are_told(draft, admin):
    reviewer = FederationStaffFactory()
    with pytest.raises(ValidationError) as exc:
        services.member_event_publish(event=draft, acting_user=reviewer)
    assert exc.value.code == "not_submitted"
    services.member_event_submit(event=draft, acting_user=admin)
    published = services.member_event_publish(event=draft, acting_user=reviewer)
    assert published.status == Event.Status.PUBLISHED
    assert published.review_state == Event.Review.APPROVED
    assert published.reviewed_by == reviewer
    assert published in event_list_public()
    message = Message.objects.get(kind="member_event_reviewed")
    assert message.recipient == admin
    assert message.context["approved"] is True


def test_staff_outside_the_staff_group_cannot_review(draft, admin):
    services.member_event_submit(event=draft, acting_user=admin)
    with pytest.raises(PermissionDenied):
        services.member_event_publish(event=draft, acting_user=StaffFactory())


def test_reviewer_returns_with_a_reason_and_the_org_resubmits(draft, admin):
    reviewer = FederationStaffFactory()
    services.member_event_submit(event=draft, acting_user=admin)
    with pytest.raises(ValidationError) as exc:
        services.member_event_submit(event=draft, acting_user=admin)
    assert exc.value.code == "already_submitted"
    with pytest.raises(ValidationError) as exc:
        services.member_event_update(event=draft, acting_user=admin, title="改")
    assert exc.value.code == "under_review"
    with pytest.raises(ValidationError) as exc:
        services.member_event_return(event=draft, reason=" ", acting_user=reviewer)
    assert exc.value.code == "reason_required"
    returned = services.member_event_return(
        event=draft, reason="请补充活动地址。", acting_user=reviewer
    )
    assert returned.review_state == Event.Review.RETURNED
    message = Message.objects.get(kind="member_event_reviewed")
    assert message.context["reason"] == "请补充活动地址。"
    assert message.context["approved"] is False
    services.member_event_update(event=returned, acting_user=admin, address="武定路")
    again = services.member_event_submit(event=returned, acting_user=admin)
    assert again.review_state == Event.Review.SUBMITTED
    assert again.review_reason == ""


def test_a_published_event_is_not_edited_by_the_organisation(draft, admin):
    services.member_event_submit(event=draft, acting_user=admin)
    services.member_event_publish(event=draft, acting_user=FederationStaffFactory())
    with pytest.raises(ValidationError) as exc:
        services.member_event_update(event=draft, acting_user=admin, title="改")
    assert exc.value.code == "not_draft"


def test_org_admin_runs_check_in_and_hours_of_its_own_event_only(organisation, admin):
    own = EventFactory(
        organisation=organisation,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    registration = RegistrationFactory(event=own)
    result = event_services.registration_check_in(registration=registration, acting_user=admin)
    assert result.registration.status == Registration.Status.ATTENDED
    other = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    with pytest.raises(PermissionDenied):
        event_services.registration_check_in(
            registration=RegistrationFactory(event=other), acting_user=admin
        )


# --- views -----------------------------------------------------------------------------


def test_org_admin_edits_only_their_own_organisations_events(client, draft, admin):
    stranger = OrgAdminFactory().user
    client.force_login(stranger)
    for name in ("detail", "update"):
        assert (
            client.get(reverse(f"member_events:{name}", kwargs={"pk": draft.pk})).status_code == 404
        )
    response = client.post(
        reverse("member_events:update", kwargs={"pk": draft.pk}),
        {"title": "被篡改", "kind": "training"},
    )
    assert response.status_code == 404
    assert client.post(reverse("member_events:submit", kwargs={"pk": draft.pk})).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "社区志愿者急救技能培训"
    assert draft.review_state == Event.Review.NONE
    client.force_login(admin)
    assert client.get(reverse("member_events:update", kwargs={"pk": draft.pk})).status_code == 200


def test_org_admin_creates_and_submits_through_the_pages(client, organisation, admin):
    client.force_login(admin)
    data = {
        "kind": "training",
        "title": "社工督导沙龙",
        "starts_at": in_days(20, 14).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": in_days(20, 16).strftime("%Y-%m-%dT%H:%M"),
        "audience": "public",
        "capacity": "30",
        "waitlist_enabled": "on",
    }
    response = client.post(reverse("member_events:create"), data)
    event = Event.objects.get(title="社工督导沙龙")
    assert response.status_code == 302
    assert event.organisation == organisation
    client.post(reverse("member_events:submit", kwargs={"pk": event.pk}))
    event.refresh_from_db()
    assert event.review_state == Event.Review.SUBMITTED
    assert event.status == Event.Status.DRAFT
    assert "社工督导沙龙" in client.get(reverse("member_events:list")).content.decode()


def test_review_pages_are_for_reviewers_only(client, draft, admin):
    services.member_event_submit(event=draft, acting_user=admin)
    client.force_login(admin)
    assert client.get(reverse("member_events:review-list")).status_code == 404
    client.force_login(FederationStaffFactory())
    assert draft.title in client.get(reverse("member_events:review-list")).content.decode()
    response = client.post(
        reverse("member_events:review", kwargs={"pk": draft.pk}), {"reason": "时间与大篷车冲突"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review_state == Event.Review.RETURNED


def test_published_member_event_shows_on_the_profile_and_calendar(client, draft, admin):
    services.member_event_submit(event=draft, acting_user=admin)
    services.member_event_publish(event=draft, acting_user=FederationStaffFactory())
    profile = client.get(
        reverse("federation:organisation-detail", kwargs={"slug": draft.organisation.slug})
    ).content.decode()
    assert draft.title in profile
    month = draft.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
    calendar = client.get(reverse("events:event-calendar"), {"month": month}).content.decode()
    assert draft.title in calendar


@pytest.mark.parametrize("count", [2, 12])
def test_member_event_list_query_count_is_constant(
    client, organisation, admin, django_assert_max_num_queries, count
):
    for n in range(count):
        EventFactory(organisation=organisation, slug=f"own-{n}")
    with django_assert_max_num_queries(1):
        list(member_event_list_for_organisation(organisation=organisation))
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("member_events:list"))
    assert len(response.context["events"]) == count


def test_member_event_detail_lists_registrations(client, organisation, admin):
    event = EventFactory(organisation=organisation)
    RegistrationFactory(event=event, participant=ParticipantFactory(name="李志愿（虚构）"))
    client.force_login(admin)
    body = client.get(reverse("member_events:detail", kwargs={"pk": event.pk})).content.decode()
    assert "李志愿（虚构）" in body


@pytest.mark.parametrize("count", [2, 12])
def test_review_list_query_count_is_constant(
    client, organisation, django_assert_max_num_queries, count
):
    for n in range(count):
        EventFactory(
            organisation=organisation,
            slug=f"submitted-{n}",
            status=Event.Status.DRAFT,
            review_state=Event.Review.SUBMITTED,
            submitted_at=timezone.now(),
        )
    client.force_login(FederationStaffFactory())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("member_events:review-list"))
    assert len(response.context["events"]) == count


def test_my_home_links_org_admins_to_their_own_events(client, admin):
    client.force_login(admin)
    assert (
        reverse("member_events:list") in client.get(reverse("federation:my-home")).content.decode()
    )


def test_org_admin_cancels_its_own_event_and_everyone_is_told(client, organisation, admin):
    event = EventFactory(organisation=organisation)
    registration = RegistrationFactory(event=event)
    stranger = OrgAdminFactory().user
    url = reverse("member_events:cancel", kwargs={"pk": event.pk})
    client.force_login(stranger)
    assert client.post(url, {"reason": "场地临时关闭"}).status_code == 404
    with pytest.raises(ValidationError):  # not theirs: the engine's own rules refuse
        event_services.event_cancel(event=event, reason="场地临时关闭", acting_user=stranger)
    client.force_login(admin)
    client.post(url, {"reason": "场地临时关闭"})
    event.refresh_from_db()
    registration.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancelled_reason == "场地临时关闭"
    assert registration.status == Registration.Status.CANCELLED
