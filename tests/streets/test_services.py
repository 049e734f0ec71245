import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events.models import Event
from events.services import hub_events
from federation.models import HubRecommendation, Organisation, StreetHub
from federation.services import (
    hub_recommendation_record,
    hub_staff_add,
    organisation_approve,
    organisation_reject,
)
from tests.events.factories import in_days
from tests.federation.factories import UserFactory, error_codes

from .factories import hub


def _event_fields(**overrides):
    starts_at = in_days(14, 9)
    fields = {
        "kind": Event.Kind.OUTREACH,
        "title": "社区公益集市",
        "starts_at": starts_at,
        "ends_at": starts_at.replace(hour=12),
        "venue_name": "社区服务中心",
        "capacity": 30,
    }
    fields.update(overrides)
    return fields


# --- Hub staff: one person, one hub --------------------------------------------------------


def test_hub_staff_add_refuses_a_second_hub(side_a):
    with pytest.raises(ValidationError) as error:
        hub_staff_add(hub=hub("310106100"), user=side_a.user, acting_user=None)
    assert error_codes(error.value) == {"already_hub_staff"}
    # Adding to the same hub again is a no-op.
    assert hub_staff_add(hub=side_a.hub, user=side_a.user, acting_user=None).hub == side_a.hub


def test_there_are_fourteen_hubs_one_per_street(db):
    assert StreetHub.objects.count() == 14
    assert StreetHub.objects.filter(name="彭浦镇社区社会组织联合会").exists()


# --- First-level recommendations -------------------------------------------------------------


def test_recommendation_is_kept_and_does_not_decide(side_a):
    recommendation = hub_recommendation_record(
        organisation=side_a.application, verdict="recommend", note="", acting_user=side_a.user
    )
    assert recommendation.hub == side_a.hub
    side_a.application.refresh_from_db()
    assert side_a.application.status == Organisation.Status.APPLIED


def test_a_negative_recommendation_does_not_stop_staff_approving(side_a, federation_staff):
    hub_recommendation_record(
        organisation=side_a.application,
        verdict="not_recommend",
        note="未见实际服务（测试）",
        acting_user=side_a.user,
    )
    organisation_approve(organisation=side_a.application, acting_user=federation_staff)
    side_a.application.refresh_from_db()
    assert side_a.application.status == Organisation.Status.ACTIVE


def test_recommendation_appears_to_federation_staff(client, side_a, side_b, federation_staff):
    hub_recommendation_record(
        organisation=side_a.application,
        verdict="reservations",
        note="需补充场地证明（测试）",
        acting_user=side_a.user,
    )
    client.force_login(federation_staff)
    response = client.get(reverse("streets:review"))
    page = response.content.decode()
    assert "需补充场地证明（测试）" in page
    assert side_b.application.name in page  # no recommendation yet: listed all the same
    applications = {o.pk: o for o in response.context["applications"]}
    assert applications[side_a.application.pk].hub_recommendation.verdict == "reservations"


def test_recommendation_refuses_another_street(side_a, side_b):
    with pytest.raises(PermissionDenied):
        hub_recommendation_record(
            organisation=side_b.application, verdict="recommend", note="", acting_user=side_a.user
        )
    assert not HubRecommendation.objects.exists()


def test_recommendation_refuses_a_non_hub_user(side_a):
    with pytest.raises(PermissionDenied):
        hub_recommendation_record(
            organisation=side_a.application,
            verdict="recommend",
            note="",
            acting_user=UserFactory(),
        )


def test_recommendation_refuses_a_decided_application(side_a, federation_staff):
    organisation_reject(
        organisation=side_a.application, reason="测试", acting_user=federation_staff
    )
    with pytest.raises(ValidationError) as error:
        hub_recommendation_record(
            organisation=side_a.application, verdict="recommend", note="", acting_user=side_a.user
        )
    assert error_codes(error.value) == {"not_pending"}


def test_recommendation_with_reservations_needs_a_note(side_a):
    with pytest.raises(ValidationError) as error:
        hub_recommendation_record(
            organisation=side_a.application,
            verdict="reservations",
            note=" ",
            acting_user=side_a.user,
        )
    assert error_codes(error.value) == {"note_required"}


def test_a_second_recommendation_replaces_the_first(side_a):
    for verdict, note in (("recommend", ""), ("not_recommend", "改变看法（测试）")):
        hub_recommendation_record(
            organisation=side_a.application, verdict=verdict, note=note, acting_user=side_a.user
        )
    assert HubRecommendation.objects.get().verdict == "not_recommend"


def test_recommend_page_records_it(client, side_a):
    client.force_login(side_a.user)
    url = reverse("streets:hub-recommend", kwargs={"pk": side_a.application.pk})
    response = client.post(url, {"verdict": "recommend", "note": ""})
    assert response.status_code == 302
    assert HubRecommendation.objects.get().organisation == side_a.application


# --- Hub events and the approval setting --------------------------------------------------------


def test_hub_event_is_held_in_the_hubs_street(side_a):
    event = hub_events.hub_event_create(hub=side_a.hub, acting_user=side_a.user, **_event_fields())
    assert event.street_id == side_a.hub.street_id
    assert event.status == Event.Status.DRAFT
    assert event.organiser_name == side_a.hub.name


def test_hub_event_create_refuses_another_hub(side_a, side_b):
    with pytest.raises(PermissionDenied):
        hub_events.hub_event_create(hub=side_b.hub, acting_user=side_a.user, **_event_fields())


def test_hub_event_create_refuses_the_caravan_kind(side_a):
    with pytest.raises(ValidationError) as error:
        hub_events.hub_event_create(
            hub=side_a.hub, acting_user=side_a.user, **_event_fields(kind=Event.Kind.CARAVAN)
        )
    assert error_codes(error.value) == {"kind_forbidden"}


def test_submit_waits_for_approval_when_the_hub_says_so(side_a, federation_staff):
    StreetHub.objects.filter(pk=side_a.hub.pk).update(events_need_approval=True)
    event = hub_events.hub_event_submit(event=side_a.hub_event, acting_user=side_a.user)
    assert (event.status, event.review_state) == (Event.Status.DRAFT, Event.Review.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        hub_events.hub_event_update(event=event, acting_user=side_a.user, title="改")
    assert error_codes(error.value) == {"under_review"}
    # Hub staff cannot approve their own event.
    with pytest.raises(PermissionDenied):
        hub_events.hub_event_approve(event=event, acting_user=side_a.user)
    event = hub_events.hub_event_approve(event=event, acting_user=federation_staff)
    assert (event.status, event.review_state) == (Event.Status.PUBLISHED, Event.Review.APPROVED)


def test_submit_publishes_when_the_hub_needs_no_approval(side_a):
    StreetHub.objects.filter(pk=side_a.hub.pk).update(events_need_approval=False)
    event = hub_events.hub_event_submit(event=side_a.hub_event, acting_user=side_a.user)
    assert event.status == Event.Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        hub_events.hub_event_submit(event=event, acting_user=side_a.user)
    assert error_codes(error.value) == {"not_draft"}


def test_the_setting_is_read_when_submitting(client, side_a):
    """The page's hub object may be stale: the database's setting decides."""
    stale = side_a.hub
    StreetHub.objects.filter(pk=stale.pk).update(events_need_approval=False)
    client.force_login(side_a.user)
    client.post(reverse("streets:hub-event-submit", kwargs={"pk": side_a.hub_event.pk}))
    side_a.hub_event.refresh_from_db()
    assert side_a.hub_event.status == Event.Status.PUBLISHED


def test_return_needs_a_reason_and_reaches_the_hub(client, side_a, federation_staff):
    event = hub_events.hub_event_submit(event=side_a.hub_event, acting_user=side_a.user)
    with pytest.raises(ValidationError) as error:
        hub_events.hub_event_return(event=event, reason=" ", acting_user=federation_staff)
    assert error_codes(error.value) == {"reason_required"}
    client.force_login(federation_staff)
    url = reverse("streets:review-return", kwargs={"pk": event.pk})
    assert client.post(url, {"reason": "请补充场地信息"}).status_code == 302
    event.refresh_from_db()
    assert (event.review_state, event.review_reason) == (Event.Review.RETURNED, "请补充场地信息")
    # Returned: editable again, then submitted again.
    hub_events.hub_event_update(event=event, acting_user=side_a.user, **_event_fields())
    assert hub_events.hub_event_submit(event=event, acting_user=side_a.user).review_state == (
        Event.Review.SUBMITTED
    )


def test_approve_page_publishes(client, side_a, federation_staff):
    hub_events.hub_event_submit(event=side_a.hub_event, acting_user=side_a.user)
    client.force_login(federation_staff)
    client.post(reverse("streets:review-approve", kwargs={"pk": side_a.hub_event.pk}))
    side_a.hub_event.refresh_from_db()
    assert side_a.hub_event.status == Event.Status.PUBLISHED


def test_hub_event_form_creates_a_draft(client, side_a):
    client.force_login(side_a.user)
    fields = _event_fields()
    data = {
        **fields,
        "starts_at": fields["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": fields["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        "audience": "public",
        "waitlist_enabled": "on",
    }
    response = client.post(reverse("streets:hub-event-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="社区公益集市")
    assert (event.hub, event.street_id) == (side_a.hub, side_a.hub.street_id)


def test_events_check_constraint_keeps_a_hub_event_single_organiser(side_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=side_a.hub_event.pk).update(organisation=side_a.organisation)
