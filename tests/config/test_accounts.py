import re

import pytest
from django.core import mail
from django.urls import reverse

from federation.models import User
from tests.federation.factories import OrgAdminFactory, StaffFactory, UserFactory

PASSWORD = "Ein-langes-Passwort-2026"


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_signup_verify_login_logout_journey(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "林小雨（虚构）",
            "email": "New.Member@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.member@example.com"
    assert user.language == "zh-hans"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.member@example.com"]

    # Unverified: logging in sends the person back to verify.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.member@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    confirm_url = _link(mail.outbox[-1])
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    response = client.post(
        reverse("account_login"), {"login": "new.member@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    # No organisation yet: /my/, which offers to apply for membership (issue 16).
    assert response["Location"] == reverse("federation:my-home")
    assert (
        reverse("federation:membership-apply") in client.get(response["Location"]).content.decode()
    )
    assert client.get("/").context["user"] == user

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_signup_remembers_the_language_of_the_page(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(
        reverse("account_signup"),
        {
            "name": "Amy Lin",
            "email": "english@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get().language == "en"
    assert "Please Confirm Your Email Address" in mail.outbox[0].subject


def test_login_does_not_reveal_whether_an_account_exists(client, db):
    UserFactory(email="known@example.com")
    known = client.post(reverse("account_login"), {"login": "known@example.com", "password": "x"})
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "x"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_signup_with_a_taken_email_looks_like_success_and_mails_the_owner(client, db):
    UserFactory(email="taken@example.com")
    response = client.post(
        reverse("account_signup"),
        {
            "name": "张三（虚构）",
            "email": "taken@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert mail.outbox[0].to == ["taken@example.com"]


def test_password_reset_sends_a_link(client, db):
    UserFactory(email="forgetful@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_logins_are_answered_with_429(client, db):
    statuses = [
        client.post(
            reverse("account_login"), {"login": f"x{i}@example.com", "password": "wrong"}
        ).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_failed_logins_for_one_account_are_refused_after_five(client, db):
    UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "bad"})
    response = client.post(
        reverse("account_login"),
        {"login": "target@example.com", "password": "pass-w0rd-for-tests"},
    )
    # Even the right password is refused while the account is rate limited.
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_admin_login_redirects_to_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert (
        reverse("account_login") in response["Location"] or "/admin/login/" in response["Location"]
    )


def test_staff_reach_the_admin_after_logging_in(client, db):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_non_staff_users_are_refused_the_admin_login(client, db):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


@pytest.mark.parametrize("required", [True, False])
def test_setting_makes_mfa_mandatory_for_staff(client, db, settings, required):
    settings.YILU_STAFF_REQUIRE_MFA = required
    client.force_login(StaffFactory())
    response = client.get("/admin/")
    if required:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == 200


def test_mfa_pages_are_available_to_every_user(client, db):
    UserFactory(email="member@example.com")
    client.post(
        reverse("account_login"),
        {"login": "member@example.com", "password": "pass-w0rd-for-tests"},
    )
    assert client.get(reverse("mfa_index")).status_code == 200
    # Setting up a second factor asks for the password once more first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "pass-w0rd-for-tests"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert type(response.context["form"]).__name__ == "ActivateTOTPForm"


def test_a_member_of_an_organisation_logs_in_to_the_home_page(client, db):
    member = OrgAdminFactory()
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": "pass-w0rd-for-tests"}
    )
    assert response["Location"] == "/"
