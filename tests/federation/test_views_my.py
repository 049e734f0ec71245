"""/my/ pages: scoping (404 for anyone else's objects), roles, switcher, application form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from federation import services
from federation.access import SESSION_KEY
from federation.models import AnnualInspection, Invitation, Organisation, OrganisationMember

from .factories import (
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    UserFactory,
    street,
)

pytestmark = pytest.mark.django_db
Role = OrganisationMember.Role
LAST_YEAR = 2025  # the year just closed on the day ``in_2026`` sets


@pytest.fixture
def in_2026(clock):
    """Mid-June 2026: last year's inspection report is open, whatever day the suite runs."""
    clock.set(datetime.date(2026, 6, 15))


@pytest.fixture
def mine():
    return OrgAdminFactory(organisation=OrganisationFactory(name="我方组织（测试）"))


@pytest.fixture
def theirs():
    admin = OrgAdminFactory(organisation=OrganisationFactory(name="他方组织（测试）"))
    member = OrganisationMemberFactory(organisation=admin.organisation)
    invitation = services.invitation_create(
        organisation=admin.organisation,
        email="x@example.com",
        role=Role.MEMBER,
        acting_user=admin.user,
    )
    return {"admin": admin, "member": member, "invitation": invitation}


def _object_urls(theirs):
    return [
        reverse("federation:my-member-role", args=[theirs["member"].pk]),
        reverse("federation:my-member-remove", args=[theirs["member"].pk]),
        reverse("federation:my-member-role", args=[theirs["admin"].pk]),
        reverse("federation:my-member-remove", args=[theirs["admin"].pk]),
        reverse("federation:my-invitation-revoke", args=[theirs["invitation"].pk]),
    ]


def test_every_my_url_answers_404_for_another_organisations_objects(client, mine, theirs):
    client.force_login(mine.user)
    for url in _object_urls(theirs):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": "admin"}).status_code == 404, url
    response = client.post(
        reverse("federation:organisation-switch"), {"organisation": theirs["admin"].organisation_id}
    )
    assert response.status_code == 404
    # Nothing of theirs changed.
    theirs["member"].refresh_from_db()
    assert theirs["member"].role == Role.MEMBER
    assert OrganisationMember.objects.filter(organisation=theirs["admin"].organisation).count() == 2
    theirs["invitation"].refresh_from_db()
    assert theirs["invitation"].status == Invitation.Status.PENDING


@pytest.mark.usefixtures("in_2026")
def test_my_pages_only_ever_show_the_current_organisation(client, mine, theirs):
    client.force_login(mine.user)
    # A session pointing at someone else's organisation is ignored.
    session = client.session
    session[SESSION_KEY] = theirs["admin"].organisation_id
    session.save()
    for name in [
        "my-home",
        "my-profile",
        "my-member-list",
        "my-inspection-list",
        "my-invitation-create",
        "my-withdraw",
    ]:
        response = client.get(reverse(f"federation:{name}"))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "我方组织（测试）" in page, name
        assert "他方组织（测试）" not in page, name
        assert theirs["member"].user.email not in page, name
    response = client.post(reverse("federation:my-inspection-submit", args=[LAST_YEAR]))
    assert response.status_code == 302
    assert AnnualInspection.objects.get().organisation == mine.organisation


@pytest.mark.usefixtures("in_2026")
def test_users_without_an_organisation_get_404_on_organisation_pages(client):
    client.force_login(UserFactory())
    assert client.get(reverse("federation:my-home")).status_code == 200  # offers to apply
    for name in [
        "my-profile",
        "my-member-list",
        "my-inspection-list",
        "my-invitation-create",
        "my-withdraw",
    ]:
        assert client.get(reverse(f"federation:{name}")).status_code == 404, name
    assert (
        client.post(reverse("federation:my-inspection-submit", args=[LAST_YEAR])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ["my-home", "my-profile", "my-member-list", "membership-apply"]:
        response = client.get(reverse(f"federation:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_plain_members_cannot_use_admin_pages(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(member.user)
    for name in ["my-profile", "my-invitation-create", "my-withdraw"]:
        assert client.get(reverse(f"federation:{name}")).status_code == 404, name
    url = reverse("federation:my-member-role", args=[mine.pk])
    assert client.post(url, {"role": "member"}).status_code == 404
    mine.refresh_from_db()
    assert mine.role == Role.ADMIN
    assert client.get(reverse("federation:my-member-list")).status_code == 200


def test_switching_between_own_organisations(client, mine):
    second = OrgAdminFactory(
        user=mine.user, organisation=OrganisationFactory(name="第二个组织（测试）")
    )
    client.force_login(mine.user)
    page = client.get(reverse("federation:my-home")).content.decode()
    assert "第二个组织（测试）" in page  # the switcher offers it
    client.post(reverse("federation:organisation-switch"), {"organisation": second.organisation_id})
    response = client.get(reverse("federation:my-profile"))
    assert response.context["organisation"] == second.organisation


def test_role_change_remove_and_last_admin_through_the_pages(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(mine.user)
    client.post(reverse("federation:my-member-role", args=[member.pk]), {"role": "admin"})
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    client.post(reverse("federation:my-member-remove", args=[member.pk]))
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("federation:my-member-role", args=[mine.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "at least one org admin" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.ADMIN


def test_invite_and_revoke_through_the_pages(client, mine):
    client.force_login(mine.user)
    response = client.post(
        reverse("federation:my-invitation-create"), {"email": "new@example.com", "role": "member"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new@example.com")
    client.post(reverse("federation:my-invitation-revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_profile_form_saves_and_turns_a_code_change_into_a_request(client, mine):
    client.force_login(mine.user)
    form = client.get(reverse("federation:my-profile")).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "street": mine.organisation.street_id,
            "description": "更新后的简介",
            "credit_code": "52310106MJ00000261",
            "service_fields": [],
            "logo": "",
        }
    )
    data = {key: value for key, value in data.items() if not isinstance(value, list) or value}
    response = client.post(reverse("federation:my-profile"), data)
    assert response.status_code == 302, response.context["form"].errors
    organisation = Organisation.objects.get(pk=mine.organisation_id)
    assert organisation.description == "更新后的简介"
    assert organisation.credit_code == ""
    assert organisation.change_requests.get().credit_code == "52310106MJ00000261"


def test_accepting_an_invitation_through_its_link(client, mine):
    invitation = services.invitation_create(
        organisation=mine.organisation,
        email="new@example.com",
        role=Role.MEMBER,
        acting_user=mine.user,
    )
    url = reverse("federation:invitation-accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert "/accounts/login/" in response["Location"]
    newcomer = UserFactory(email="new@example.com")
    client.force_login(newcomer)
    assert client.post(url).status_code == 302
    assert mine.organisation.members.filter(user=newcomer).exists()
    assert (
        client.get(reverse("federation:invitation-accept", args=["forged-token"])).status_code
        == 404
    )


def test_wrong_account_and_expired_invitation_through_the_link(client, mine):
    invitation = services.invitation_create(
        organisation=mine.organisation,
        email="new@example.com",
        role=Role.MEMBER,
        acting_user=mine.user,
    )
    url = reverse("federation:invitation-accept", args=[invitation.token])
    client.force_login(UserFactory(email="someone-else@example.com"))
    client.cookies["django_language"] = "en"
    response = client.post(url)
    assert "sent to another e-mail address" in response.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(UserFactory(email="new@example.com"))
    client.cookies["django_language"] = "en"
    response = client.post(url)
    assert "expired" in response.content.decode()
    assert mine.organisation.members.count() == 1


def test_pending_invitations_show_on_my_page(client, mine):
    services.invitation_create(
        organisation=mine.organisation,
        email="new@example.com",
        role=Role.MEMBER,
        acting_user=mine.user,
    )
    client.force_login(UserFactory(email="new@example.com"))
    response = client.get(reverse("federation:my-home"))
    assert [i.organisation for i in response.context["invitations"]] == [mine.organisation]


def test_application_form_creates_an_application(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("federation:membership-apply"),
        {
            "name": "上海市静安区表单测试服务中心（虚构）",
            "legal_form": "service_agency",
            "credit_code": "52310106mj0000034u",
            "registration_status": "registered",
            "street": street("310106019").pk,
            "party_organisation": "none",
            "party_member_count": "0",
            "contact_phone": "021 6234 5678",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    organisation = Organisation.objects.get(name="上海市静安区表单测试服务中心（虚构）")
    assert organisation.status == "applied"
    assert organisation.credit_code == "52310106MJ0000034U"
    assert organisation.members.get().user == user


def test_application_form_shows_credit_code_errors_on_the_field(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("federation:membership-apply"),
        {
            "name": "x（虚构）",
            "legal_form": "social_group",
            "credit_code": "91350100M000100Y4Z",
            "registration_status": "registered",
            "street": street("310106019").pk,
            "party_organisation": "none",
            "party_member_count": "0",
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["credit_code"]] == [
        "credit_code_checksum"
    ]


def _png(size=(16, 16)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_profile_logo_must_be_a_small_image(client, mine):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(mine.user)
    form = client.get(reverse("federation:my-profile")).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data["street"] = mine.organisation.street_id
    data.pop("logo", None)
    bad = client.post(
        reverse("federation:my-profile"),
        {**data, "logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")},
    )
    assert bad.status_code == 200
    assert "logo" in bad.context["form"].errors
    good = client.post(
        reverse("federation:my-profile"),
        {**data, "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")},
    )
    assert good.status_code == 302
    organisation = Organisation.objects.get(pk=mine.organisation_id)
    assert organisation.logo.name.startswith("organisations/logos/")
    page = client.get(reverse("federation:organisation-detail", args=[organisation.slug]))
    assert organisation.logo.url in page.content.decode()


def test_switching_to_an_out_of_range_organisation_id_is_404_not_500(client, mine):
    client.force_login(mine.user)
    url = reverse("federation:organisation-switch")
    for value in ["abc", "", "-3", "0", "99999999999999999999999"]:
        assert client.post(url, {"organisation": value}).status_code == 404, value


def test_an_unknown_role_is_refused_with_a_message_and_nothing_changes(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(mine.user)
    response = client.post(
        reverse("federation:my-member-role", args=[member.pk]), {"role": "owner"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_removing_a_member_and_revoking_an_invitation_ask_for_confirmation_first(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    invitation = services.invitation_create(
        organisation=mine.organisation,
        email="colleague@example.com",
        role=Role.MEMBER,
        acting_user=mine.user,
    )
    client.force_login(mine.user)
    list_page = client.get(reverse("federation:my-member-list")).content.decode()
    remove_url = reverse("federation:my-member-remove", args=[member.pk])
    revoke_url = reverse("federation:my-invitation-revoke", args=[invitation.pk])
    # The list links to confirmation pages; nothing is removed by a single click.
    assert f'href="{remove_url}"' in list_page and f'href="{revoke_url}"' in list_page
    for url in [remove_url, revoke_url]:
        response = client.get(url)
        assert response.status_code == 200
        assert f'action="{url}"' in response.content.decode()
    assert OrganisationMember.objects.filter(pk=member.pk).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    client.post(remove_url)
    client.post(revoke_url)
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_a_plain_member_may_confirm_leaving_but_not_removing_a_colleague(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(member.user)
    assert client.get(reverse("federation:my-member-remove", args=[member.pk])).status_code == 200
    assert client.get(reverse("federation:my-member-remove", args=[mine.pk])).status_code == 404
    invitation = services.invitation_create(
        organisation=mine.organisation,
        email="y@example.com",
        role=Role.MEMBER,
        acting_user=mine.user,
    )
    url = reverse("federation:my-invitation-revoke", args=[invitation.pk])
    assert client.get(url).status_code == 404


def test_the_application_form_sends_someone_with_a_pending_application_to_my_page(client):
    applied = OrgAdminFactory(organisation=OrganisationFactory(status=Organisation.Status.APPLIED))
    client.force_login(applied.user)
    response = client.get(reverse("federation:membership-apply"))
    assert response.status_code == 302
    assert response["Location"] == reverse("federation:my-home")
    active = OrgAdminFactory()
    client.force_login(active.user)
    assert client.get(reverse("federation:membership-apply")).status_code == 200


def test_the_withdraw_page_is_offered_only_while_there_is_a_membership_to_end(client, mine):
    client.force_login(mine.user)
    url = reverse("federation:my-withdraw")
    for status in ["active", "suspended", "lapsed"]:
        Organisation.objects.filter(pk=mine.organisation_id).update(status=status)
        assert client.get(url).status_code == 200, status
    for status in ["applied", "rejected", "withdrawn"]:
        Organisation.objects.filter(pk=mine.organisation_id).update(status=status)
        response = client.get(url)
        assert response.status_code == 302, status
        assert response["Location"] == reverse("federation:my-home")


@pytest.mark.usefixtures("in_2026")
def test_marking_an_inspection_submitted_asks_for_confirmation_first(client, mine):
    url = reverse("federation:my-inspection-submit", args=[LAST_YEAR])
    client.force_login(mine.user)
    listing = client.get(reverse("federation:my-inspection-list")).content.decode()
    assert f'href="{url}"' in listing
    response = client.get(url)
    assert response.status_code == 200 and f'action="{url}"' in response.content.decode()
    assert not AnnualInspection.objects.exists()
    client.post(url)
    assert AnnualInspection.objects.get().status == AnnualInspection.Status.SUBMITTED
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(member.user)
    assert client.get(url).status_code == 404
