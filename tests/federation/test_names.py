"""People have a name (姓名): asked at sign-up and on invitation, editable, used in mails and lists."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from federation import services
from federation.models import Invitation, User
from tests.federation.factories import OrgAdminFactory, OrganisationMemberFactory, UserFactory
from tests.notifications.factories import enqueue

pytestmark = pytest.mark.django_db

PASSWORD = "Ein-langes-Passwort-2026"
GREETING_TEMPLATE = "events/email/registration_cancelled"
GREETING_CONTEXT = {"person_name": "王小明（虚构）", "event_title": "静安公益节"}


def test_sign_up_without_a_name_is_refused_in_chinese(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "noname@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["请填写您的姓名。"]
    assert not User.objects.exists()


def test_sign_up_saves_the_name_trimmed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "  林小雨（虚构） ",
            "email": "lin@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="lin@example.com").name == "林小雨（虚构）"


def test_the_sign_up_page_asks_the_name_first(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert html.index('name="name"') < html.index('name="email"')
    assert "姓名" in html


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(template=GREETING_TEMPLATE, context=GREETING_CONTEXT, **kwargs)
    return mail.outbox[-1]


def test_a_mail_greets_the_person_by_name(django_capture_on_commit_callbacks):
    person = UserFactory(email="chunya@example.com", name="陈春雅（虚构）")
    message = _send(django_capture_on_commit_callbacks, recipient=person, dedupe_key="a")
    assert message.body.startswith("陈春雅（虚构），您好：")


def test_a_mail_to_someone_without_a_name_greets_neutrally_not_by_address(
    django_capture_on_commit_callbacks,
):
    person = UserFactory(email="chunya@example.com", name="")
    message = _send(django_capture_on_commit_callbacks, recipient=person, dedupe_key="b")
    assert message.body.startswith("您好：")
    assert "chunya" not in message.body


def test_the_profile_page_edits_name_and_language(client):
    person = UserFactory(name="旧名字")
    client.force_login(person)
    response = client.post(
        reverse("federation:account-profile"), {"name": "新名字", "language": "en"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.language) == ("新名字", "en")


def test_the_profile_refuses_a_blank_name(client):
    person = UserFactory(name="旧名字")
    client.force_login(person)
    response = client.post(
        reverse("federation:account-profile"), {"name": "   ", "language": "zh-hans"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["请填写您的姓名。"]
    person.refresh_from_db()
    assert person.name == "旧名字"


def test_the_profile_service_refuses_editing_someone_else():
    person, other = UserFactory(), UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.user_profile_update(user=person, name="X", language="en", acting_user=other)
    assert excinfo.value.code == "not_yourself"


def test_the_header_shows_the_name_and_links_the_profile(client):
    person = UserFactory(name="李晓明（虚构）")
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "李晓明（虚构）" in html
    assert reverse("federation:account-profile") in html


def test_accepting_an_invitation_asks_the_name_of_someone_without_one(client):
    admin = OrgAdminFactory()
    invitation = services.invitation_create(
        organisation=admin.organisation,
        email="colleague@example.com",
        role="member",
        acting_user=admin.user,
    )
    colleague = UserFactory(email="colleague@example.com", name="")
    client.force_login(colleague)
    url = reverse("federation:invitation-accept", args=[invitation.token])
    assert 'name="name"' in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert response.context["name_form"].errors["name"] == ["请填写您的姓名。"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING

    response = client.post(url, {"name": "赵一鸣（虚构）"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.name == "赵一鸣（虚构）"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_the_invitation_service_refuses_a_nameless_person_without_a_name():
    admin = OrgAdminFactory()
    invitation = services.invitation_create(
        organisation=admin.organisation,
        email="colleague@example.com",
        role="member",
        acting_user=admin.user,
    )
    colleague = UserFactory(email="colleague@example.com", name="")
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert excinfo.value.code == "name_required"


def test_the_member_list_shows_names(client):
    admin = OrgAdminFactory(user__name="李晓明（虚构）")
    OrganisationMemberFactory(organisation=admin.organisation, user__name="王建华（虚构）")
    client.force_login(admin.user)
    html = client.get(reverse("federation:my-member-list")).content.decode()
    assert "李晓明（虚构）" in html and "王建华（虚构）" in html


def test_the_admin_user_list_shows_names(admin_client):
    UserFactory(name="钱文敏（虚构）")
    html = admin_client.get(reverse("admin:federation_user_changelist")).content.decode()
    assert "钱文敏（虚构）" in html
