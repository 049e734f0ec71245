"""The whole path: sign up → verify e-mail → apply → staff approve → the applicant is told."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from federation.models import Organisation, User

from .factories import street

PASSWORD = "Ein-langes-Passwort-2026"


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _sign_up_and_verify(client, email, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    client.post(
        reverse("account_signup"),
        {"name": "周新（虚构）", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(_link(mail.outbox[-1]))
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    return User.objects.get(email=email)


def _apply(client, name):
    return client.post(
        reverse("federation:membership-apply"),
        {
            "name": name,
            "short_name": "旅程测试",
            "legal_form": "social_group",
            "credit_code": "51310108MJ0000042N",
            "registration_status": "registered",
            "street": street("310106020").pk,
            "party_organisation": "branch",
            "party_member_count": "3",
            "service_fields": [],
        },
    )


@pytest.mark.parametrize(("language", "subject_start"), [("en", "Welcome: "), ("zh-hans", None)])
def test_signup_apply_approve_email_journey(
    client, staff, django_capture_on_commit_callbacks, language, subject_start
):
    applicant = _sign_up_and_verify(client, "journey@example.com", language)
    assert applicant.language == language

    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(client, "上海市静安区旅程测试协会（虚构）")
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="上海市静安区旅程测试协会（虚构）")
    assert organisation.status == "applied"
    staff_mail = [m for m in mail.outbox if m.to == [staff.email]]
    assert len(staff_mail) == 1 and "上海市静安区旅程测试协会（虚构）" in staff_mail[0].subject
    assert f"/admin/federation/organisation/{organisation.pk}/change/" in staff_mail[0].body

    # The application waits in the staff review queue (the admin list filtered by status).
    client.force_login(staff)
    queue = client.get(
        reverse("admin:federation_organisation_changelist"), {"status__exact": "applied"}
    )
    assert list(queue.context["cl"].result_list) == [organisation]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:federation_organisation_changelist"),
            {
                "action": "approve",
                "_selected_action": [organisation.pk],
                "apply": "1",
                "reason": "",
            },
        )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "active"

    decided = [m for m in mail.outbox if m.to == ["journey@example.com"]][-1]
    assert "上海市静安区旅程测试协会（虚构）" in decided.subject
    if subject_start:
        assert decided.subject.startswith(subject_start)
    from notifications.models import Message

    assert Message.objects.get(kind="membership_decided").language == language
    # The organisation is now in the public directory.
    client.logout()
    assert organisation in client.get("/organisations/").context["organisations"]


def test_rejection_journey_tells_the_reason(client, staff, django_capture_on_commit_callbacks):
    _sign_up_and_verify(client, "rejected@example.com", "en")
    _apply(client, "上海市静安区被拒测试协会（虚构）")
    organisation = Organisation.objects.get(name="上海市静安区被拒测试协会（虚构）")
    client.force_login(staff)
    changelist = reverse("admin:federation_organisation_changelist")
    # Without a reason the page asks again.
    response = client.post(
        changelist,
        {"action": "reject", "_selected_action": [organisation.pk], "apply": "1", "reason": ""},
    )
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            changelist,
            {
                "action": "reject",
                "_selected_action": [organisation.pk],
                "apply": "1",
                "reason": "登记证书已过期",
            },
        )
    organisation.refresh_from_db()
    assert organisation.status == "rejected"
    decided = [m for m in mail.outbox if m.to == ["rejected@example.com"]][-1]
    assert "登记证书已过期" in decided.body


def test_invitation_accepted_after_signing_up(client, db, django_capture_on_commit_callbacks):
    from federation import services
    from federation.models import OrganisationMember

    from .factories import OrgAdminFactory

    admin = OrgAdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=admin.organisation,
            email="invited@example.com",
            role=OrganisationMember.Role.MEMBER,
            acting_user=admin.user,
        )
    link = _link([m for m in mail.outbox if m.to == ["invited@example.com"]][-1])
    assert link == reverse("federation:invitation-accept", args=[invitation.token])
    client.cookies["django_language"] = "en"
    assert "Sign up" in client.get(link).content.decode()

    newcomer = _sign_up_and_verify(client, "invited@example.com", "en")
    my_page = client.get(reverse("federation:my-home"))
    assert [i.pk for i in my_page.context["invitations"]] == [invitation.pk]
    assert client.post(link).status_code == 302
    assert admin.organisation.members.get(user=newcomer).role == OrganisationMember.Role.MEMBER
    assert client.get(reverse("federation:my-home")).context["organisation"] == admin.organisation
