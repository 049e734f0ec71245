"""Fund roles change only under the service's rule, in the user admin as well."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from federation.models import User
from funds import services
from funds.roles import FUND_AUDITORS, FUND_MANAGERS
from tests.federation.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin_form(*, acting_user, user, is_staff, groups):
    model_admin = admin.site._registry[User]
    request = RequestFactory().post("/")
    request.user = acting_user
    form_class = model_admin.get_form(request, user, change=True)
    data = {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "is_active": "on",
        "groups": [group.pk for group in groups],
        "user_permissions": [],
    }
    if is_staff:
        data["is_staff"] = "on"
    return form_class(data=data, instance=user)


def _service_refusal(**kwargs):
    with pytest.raises(ValidationError) as excinfo:
        services.fund_role_grant(**kwargs)
    return excinfo.value


@pytest.mark.parametrize("role", [FUND_MANAGERS, FUND_AUDITORS])
def test_user_admin_refuses_a_fund_group_for_a_non_staff_user_like_the_service(role):
    superuser = StaffFactory(is_superuser=True)
    person = UserFactory()
    group = Group.objects.get(name=role)

    refusal = _service_refusal(user=person, role=role, acting_user=superuser)
    form = _admin_form(acting_user=superuser, user=person, is_staff=False, groups=[group])

    assert not form.is_valid()
    assert form.has_error("groups", code=refusal.code)
    assert refusal.code == "not_staff"
    assert form.errors["groups"] == refusal.messages
    person.refresh_from_db()
    assert not person.groups.filter(name=role).exists()


def test_user_admin_refuses_unticking_staff_while_keeping_a_fund_group():
    superuser = StaffFactory(is_superuser=True)
    person = StaffFactory()
    services.fund_role_grant(user=person, role=FUND_MANAGERS, acting_user=superuser)
    group = Group.objects.get(name=FUND_MANAGERS)

    form = _admin_form(acting_user=superuser, user=person, is_staff=False, groups=[group])

    assert not form.is_valid()
    assert form.has_error("groups", code="not_staff")


def test_user_admin_refuses_a_fund_group_from_a_non_superuser_like_the_service():
    acting = StaffFactory()
    acting.user_permissions.add(Permission.objects.get(codename="change_user"))
    acting = User.objects.get(pk=acting.pk)  # fresh permission cache
    person = StaffFactory()
    group = Group.objects.get(name=FUND_AUDITORS)

    refusal = _service_refusal(user=person, role=FUND_AUDITORS, acting_user=acting)
    form = _admin_form(acting_user=acting, user=person, is_staff=True, groups=[group])

    assert "groups" in form.fields  # the user admin lets this person edit groups
    assert not form.is_valid()
    assert refusal.code == "not_allowed"
    assert form.has_error("groups", code="not_allowed")
    assert form.errors["groups"] == refusal.messages


def test_user_admin_lets_an_administrator_give_a_fund_group_to_staff(client):
    superuser = StaffFactory(is_superuser=True)
    person = UserFactory()
    group = Group.objects.get(name=FUND_MANAGERS)
    other = Group.objects.create(name="不受保护的组")

    form = _admin_form(acting_user=superuser, user=person, is_staff=True, groups=[group, other])

    assert form.is_valid(), form.errors
    form.save()
    assert set(person.groups.values_list("name", flat=True)) == {FUND_MANAGERS, "不受保护的组"}


def test_user_admin_change_page_shows_the_service_message(client):
    superuser = StaffFactory(is_superuser=True)
    person = UserFactory()
    group = Group.objects.get(name=FUND_MANAGERS)
    client.force_login(superuser)
    url = f"/admin/federation/user/{person.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": person.email,
            "name": person.name,
            "language": person.language,
            "is_active": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200  # the form again, not a redirect
    person.refresh_from_db()
    assert not person.groups.filter(name=FUND_MANAGERS).exists()
    refusal = _service_refusal(user=person, role=FUND_MANAGERS, acting_user=superuser)
    assert refusal.messages[0] in response.content.decode()
