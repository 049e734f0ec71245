"""The catalogue's writes: the review flow with its messages, and every refusal code."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue import services
from catalogue.models import ServiceOffering
from notifications.models import Message
from tests.federation.factories import (
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    StaffFactory,
    error_codes,
)

from .factories import OfferingFactory, details, image_upload

pytestmark = pytest.mark.django_db
Status = ServiceOffering.Status


def _refusal(call) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return error_codes(caught.value)


def test_offering_create_makes_a_draft_with_pinyin_keys_and_a_normalised_phone(mine):
    offering = services.offering_create(
        organisation=mine.organisation, details=details(), acting_user=mine.user
    )
    assert offering.status == Status.DRAFT
    assert offering.contact_phone == "13900000001"
    assert "lnrznsjkt" in offering.pinyin_search
    assert "laonianrenzhinengshoujiketang" in offering.pinyin_search


def test_offering_create_refuses_another_organisations_admin_and_non_members(mine, theirs):
    codes = _refusal(
        lambda: services.offering_create(
            organisation=theirs.organisation, details=details(), acting_user=mine.user
        )
    )
    assert codes == {"not_allowed"}
    plain = OrganisationMemberFactory(organisation=mine.organisation)
    codes = _refusal(
        lambda: services.offering_create(
            organisation=mine.organisation, details=details(), acting_user=plain.user
        )
    )
    assert codes == {"not_allowed"}
    lapsed = OrganisationFactory(status="lapsed")
    OrgAdminFactory(organisation=lapsed, user=mine.user)
    codes = _refusal(
        lambda: services.offering_create(
            organisation=lapsed, details=details(), acting_user=mine.user
        )
    )
    assert codes == {"organisation_not_member"}


def test_a_title_is_unique_within_an_organisation(mine, theirs):
    services.offering_create(
        organisation=mine.organisation, details=details(), acting_user=mine.user
    )
    codes = _refusal(
        lambda: services.offering_create(
            organisation=mine.organisation, details=details(), acting_user=mine.user
        )
    )
    assert codes == {"title_taken"}
    services.offering_create(
        organisation=theirs.organisation, details=details(), acting_user=theirs.user
    )


def test_bad_details_are_refused_by_field(mine):
    codes = _refusal(
        lambda: services.offering_create(
            organisation=mine.organisation,
            details=details(contact_phone="12345", capacity=0, title=""),
            acting_user=mine.user,
        )
    )
    assert codes == {"phone_invalid", "capacity_not_positive", "blank"}


def test_review_flow_publish_tells_the_org_admins(mine, staff):
    offering = services.offering_create(
        organisation=mine.organisation, details=details(), acting_user=mine.user
    )
    offering = services.offering_submit(offering=offering, acting_user=mine.user)
    assert offering.status == Status.SUBMITTED
    to_staff = Message.objects.get(kind="offering_submitted")
    assert to_staff.recipient == staff
    assert to_staff.context["title"] == offering.title
    offering = services.offering_publish(offering=offering, acting_user=staff)
    assert offering.status == Status.PUBLISHED and offering.reviewed_by == staff
    decided = Message.objects.get(kind="offering_decided")
    assert decided.recipient == mine.user
    assert decided.context["decision"] == "published"
    assert decided.context["url"].endswith(f"/services/{offering.pk}/")


def test_review_flow_return_needs_a_reason_and_sends_it(mine, staff):
    offering = OfferingFactory(organisation=mine.organisation, status=Status.SUBMITTED)
    codes = _refusal(
        lambda: services.offering_return(offering=offering, reason="  ", acting_user=staff)
    )
    assert codes == {"reason_required"}
    offering = services.offering_return(
        offering=offering, reason="请补充服务地点。", acting_user=staff
    )
    assert offering.status == Status.RETURNED and offering.return_reason == "请补充服务地点。"
    message = Message.objects.get(kind="offering_decided")
    assert message.context["decision"] == "returned"
    assert message.context["reason"] == "请补充服务地点。"
    # Changed and submitted again, it can be published.
    services.offering_update(
        offering=offering, details={"location": "睦邻点"}, acting_user=mine.user
    )
    offering = services.offering_submit(offering=offering, acting_user=mine.user)
    assert services.offering_publish(offering=offering, acting_user=staff).status == "published"


def test_only_staff_publish_or_return(mine, staff):
    offering = OfferingFactory(organisation=mine.organisation, status=Status.SUBMITTED)
    assert _refusal(
        lambda: services.offering_publish(offering=offering, acting_user=mine.user)
    ) == {"not_allowed"}
    assert _refusal(
        lambda: services.offering_return(offering=offering, reason="x", acting_user=mine.user)
    ) == {"not_allowed"}
    outside_the_group = StaffFactory()
    assert _refusal(
        lambda: services.offering_publish(offering=offering, acting_user=outside_the_group)
    ) == {"not_allowed"}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN])
def test_publish_and_return_need_a_submitted_offering(staff, status):
    offering = OfferingFactory(status=status)
    assert _refusal(lambda: services.offering_publish(offering=offering, acting_user=staff)) == {
        "not_submitted"
    }
    assert _refusal(
        lambda: services.offering_return(offering=offering, reason="x", acting_user=staff)
    ) == {"not_submitted"}


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.PUBLISHED])
def test_submit_refuses_what_is_under_review_or_published(mine, status):
    offering = OfferingFactory(organisation=mine.organisation, status=status)
    assert _refusal(lambda: services.offering_submit(offering=offering, acting_user=mine.user)) == {
        "not_submittable"
    }


def test_an_organisation_changes_a_published_offering_only_after_withdrawing_it(mine, staff):
    offering = OfferingFactory(organisation=mine.organisation)
    codes = _refusal(
        lambda: services.offering_update(
            offering=offering, details={"summary": "新简介"}, acting_user=mine.user
        )
    )
    assert codes == {"not_editable"}
    # Staff edit any offering, at any status.
    services.offering_update(offering=offering, details={"summary": "新简介"}, acting_user=staff)
    offering = services.offering_withdraw(offering=offering, acting_user=mine.user)
    assert offering.status == Status.WITHDRAWN
    assert _refusal(
        lambda: services.offering_withdraw(offering=offering, acting_user=mine.user)
    ) == {"not_withdrawable"}
    services.offering_update(offering=offering, details={"summary": "再改"}, acting_user=mine.user)


def test_another_organisation_cannot_touch_an_offering(mine, theirs):
    offering = OfferingFactory(organisation=theirs.organisation, status=Status.DRAFT)
    for call in (
        lambda: services.offering_update(
            offering=offering, details={"summary": "x"}, acting_user=mine.user
        ),
        lambda: services.offering_submit(offering=offering, acting_user=mine.user),
        lambda: services.offering_withdraw(offering=offering, acting_user=mine.user),
        lambda: services.offering_photo_add(
            offering=offering, image=image_upload(), acting_user=mine.user
        ),
    ):
        assert _refusal(call) == {"not_allowed"}


def test_photos_are_checked_by_content_and_limited_to_four(mine):
    offering = OfferingFactory(organisation=mine.organisation, status=Status.DRAFT)
    not_an_image = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", content_type="image/png")
    assert _refusal(
        lambda: services.offering_photo_add(
            offering=offering, image=not_an_image, acting_user=mine.user
        )
    ) == {"image_invalid"}
    too_big = image_upload(size=(6001, 10))
    assert _refusal(
        lambda: services.offering_photo_add(offering=offering, image=too_big, acting_user=mine.user)
    ) == {"image_too_big"}
    for number in range(4):
        services.offering_photo_add(
            offering=offering, image=image_upload(name=f"p{number}.png"), acting_user=mine.user
        )
    assert _refusal(
        lambda: services.offering_photo_add(
            offering=offering, image=image_upload(), acting_user=mine.user
        )
    ) == {"too_many_photos"}
    photo = offering.photos.first()
    services.offering_photo_remove(photo=photo, acting_user=mine.user)
    assert offering.photos.count() == 3


def test_public_contact_shows_only_the_allowed_channel():
    offering = ServiceOffering(
        contact_person="李老师",
        contact_phone="13900001234",
        contact_email="li@example.org",
        contact_visibility="phone",
    )
    assert offering.public_contact()["phone"] == "13900001234"
    assert offering.public_contact()["email"] == "l***@example.org"
    offering.contact_visibility = "email"
    assert offering.public_contact()["phone"] == "139****1234"
    assert offering.public_contact()["email"] == "li@example.org"
    offering.contact_visibility = "none"
    contact = offering.public_contact()
    assert contact["phone"] == "139****1234" and contact["email"] == "l***@example.org"
    assert contact["is_masked"]


def test_the_review_messages_render_in_the_recipients_language(mine, staff):
    from notifications.rendering import message_render

    mine.user.language = "en"
    mine.user.save(update_fields=["language"])
    offering = OfferingFactory(organisation=mine.organisation, status=Status.DRAFT)
    services.offering_submit(offering=offering, acting_user=mine.user)
    services.offering_return(offering=offering, reason="请补充时间。", acting_user=staff)
    submitted = message_render(Message.objects.get(kind="offering_submitted"))
    assert offering.title in submitted.subject and "/services/review/" in submitted.text
    returned = message_render(Message.objects.get(kind="offering_decided"))
    assert returned.subject.startswith("Returned for changes")
    assert "请补充时间。" in returned.text and f"/my/services/{offering.pk}/" in returned.text
