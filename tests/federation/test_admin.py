"""The back office: staff group, actions through the services, forms, filters."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance, AllianceMembership
from federation import services
from federation.creditcode import credit_code_check_character
from federation.models import (
    STAFF_GROUP_NAME,
    AnnualInspection,
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
)
from tests.federation.factories import StaffFactory

from .factories import OrgAdminFactory, OrganisationFactory, street

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/federation/organisation/"


def test_the_staff_group_has_the_back_office_permissions():
    group = Group.objects.get(name=STAFF_GROUP_NAME)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_organisation",
        "add_organisation",
        "change_organisation",
        "import_organisation",
        "export_organisation",
        "view_membershipevent",
        "add_annualinspection",
        "change_annualinspection",
        "change_organisationchangerequest",
        "view_invitation",
    } <= codenames
    assert "delete_organisation" not in codenames


def test_org_users_get_nothing_of_the_admin(client):
    org_admin = OrgAdminFactory()
    client.force_login(org_admin.user)
    for url in ["/admin/", CHANGELIST, CHANGELIST + "import/", CHANGELIST + "export/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_staff_see_the_review_queue_with_filters(client, staff):
    applied = OrganisationFactory(status="applied", street=street("310106016"))
    member = OrganisationFactory(status="active", party_organisation="branch")
    AllianceMembership.objects.create(
        organisation=member, alliance=Alliance.objects.get(code="youth"), status="active"
    )
    client.force_login(staff)
    assert list(client.get(CHANGELIST, {"status__exact": "applied"}).context["cl"].result_list) == [
        applied
    ]
    assert list(client.get(CHANGELIST, {"alliance": "youth"}).context["cl"].result_list) == [member]
    assert list(
        client.get(CHANGELIST, {"street__id__exact": street("310106016").pk})
        .context["cl"]
        .result_list
    ) == [applied]
    assert list(
        client.get(CHANGELIST, {"party_organisation__exact": "branch"}).context["cl"].result_list
    ) == [member]
    assert list(client.get(CHANGELIST, {"q": member.name[:6]}).context["cl"].result_list)


def _action(client, action, organisations, **data):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [o.pk for o in organisations], "apply": "1", **data},
    )


def test_suspend_lapse_reinstate_actions_record_history(client, staff):
    organisation = OrganisationFactory(status="active")
    client.force_login(staff)
    page = client.post(CHANGELIST, {"action": "suspend", "_selected_action": [organisation.pk]})
    assert (
        page.status_code == 200 and "reason" in page.context["form"].fields
    )  # asks for the reason
    _action(client, "suspend", [organisation], reason="年检不合格")
    _action(client, "reinstate", [organisation], reason="已整改")
    _action(client, "lapse", [organisation], reason="多年失联")
    organisation.refresh_from_db()
    assert organisation.status == "lapsed"
    assert list(
        MembershipEvent.objects.filter(organisation=organisation).values_list(
            "to_status", "reason", "acting_user"
        )
    ) == [
        ("lapsed", "多年失联", staff.pk),
        ("active", "已整改", staff.pk),
        ("suspended", "年检不合格", staff.pk),
    ]
    # The change page shows the history to staff.
    page = client.get(reverse("admin:federation_organisation_change", args=[organisation.pk]))
    assert "多年失联" in page.content.decode()


def test_a_refused_action_is_reported_and_changes_nothing(client, staff):
    organisation = OrganisationFactory(status="active")
    client.force_login(staff)
    response = _action(client, "approve", [organisation], reason="")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(organisation.name in m for m in messages)
    assert not MembershipEvent.objects.exists()


def test_approve_action_accepts_a_position_17_warning_only_when_ticked(client, staff):
    code = "51310106MJ0000017" + credit_code_check_character("51310106MJ0000017")
    organisation = OrganisationFactory(
        status="applied", credit_code=code, legal_form="social_group"
    )
    client.force_login(staff)
    _action(client, "approve", [organisation], reason="")
    organisation.refresh_from_db()
    assert organisation.status == "applied"
    _action(client, "approve", [organisation], reason="", accept_credit_code_warning="on")
    organisation.refresh_from_db()
    assert organisation.status == "active" and organisation.credit_code_warning_accepted


def _form_data(organisation=None, **changes):
    data = {
        "name": "上海市静安区后台新增协会（虚构）",
        "short_name": "",
        "name_en": "",
        "legal_form": "social_group",
        "credit_code": "5131 0106 mj00000189",
        "registration_status": "registered",
        "street": street("310106011").pk,
        "party_organisation": "none",
        "party_member_count": "0",
        "contact_phone": "13800000000",
        "joined_on": "2019-05-01",
    }
    for prefix in ["membership_events", "members", "annual_inspections", "change_requests"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_adding_and_editing_in_the_admin_goes_through_the_services(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:federation_organisation_add"), _form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get()
    assert organisation.credit_code == "51310106MJ00000189"
    assert organisation.status == "active" and organisation.slug and organisation.name_pinyin
    assert MembershipEvent.objects.get().to_status == "active"
    response = client.post(
        reverse("admin:federation_organisation_change", args=[organisation.pk]),
        _form_data(short_name="静安社联"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert "jasl" in organisation.pinyin_search


def test_admin_form_asks_to_accept_a_position_17_warning(client, staff):
    code = "51310106MJ0000017" + credit_code_check_character("51310106MJ0000017")
    client.force_login(staff)
    response = client.post(
        reverse("admin:federation_organisation_add"), _form_data(credit_code=code)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["credit_code"]
    assert [e.code for e in errors] == ["credit_code_check_warning"]
    response = client.post(
        reverse("admin:federation_organisation_add"),
        _form_data(credit_code=code, accept_credit_code_warning="on"),
    )
    assert response.status_code == 302
    assert Organisation.objects.get().credit_code_warning_accepted


def test_organisations_cannot_be_deleted_in_the_admin(client, staff):
    organisation = OrganisationFactory()
    client.force_login(staff)
    assert (
        client.get(
            reverse("admin:federation_organisation_delete", args=[organisation.pk])
        ).status_code
        == 403
    )


def test_change_request_approval_in_the_admin(client, staff):
    org_admin = OrgAdminFactory(organisation=OrganisationFactory(legal_form="social_group"))
    change_request = services.organisation_profile_update(
        organisation=org_admin.organisation,
        details={"credit_code": "51310106MJ00000189"},
        acting_user=org_admin.user,
    )
    client.force_login(staff)
    client.post(
        "/admin/federation/organisationchangerequest/",
        {"action": "approve", "_selected_action": [change_request.pk], "apply": "1"},
    )
    change_request.refresh_from_db()
    assert change_request.status == OrganisationChangeRequest.Status.APPROVED
    org_admin.organisation.refresh_from_db()
    assert org_admin.organisation.credit_code == "51310106MJ00000189"


def test_inspection_results_are_recorded_through_the_service(client, staff):
    organisation = OrganisationFactory()
    client.force_login(staff)
    year = timezone.localdate().year - 1
    response = client.post(
        "/admin/federation/annualinspection/add/",
        {"organisation": organisation.pk, "year": year, "status": "qualified", "note": ""},
    )
    assert response.status_code == 302
    inspection = AnnualInspection.objects.get()
    assert inspection.reviewed_by == staff and inspection.submitted_at is not None


def test_plain_staff_without_the_group_cannot_see_organisations(client):
    user = StaffFactory()
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.parametrize("count", [5, 50])
def test_the_organisation_changelist_query_count_is_constant(
    count, client, staff, django_assert_max_num_queries
):
    for _number in range(count):
        OrganisationFactory(street=street("310106016"))
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST, {"alliance": "youth"})
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count


def test_an_unknown_alliance_filter_in_the_admin_is_not_an_error(client, staff):
    OrganisationFactory()
    client.force_login(staff)
    assert client.get(CHANGELIST, {"alliance": "no-such-alliance"}).status_code in (200, 302)


def _offered_actions(response) -> set[str]:
    form = response.context["action_form"]
    if form is None:
        return set()
    return {name for name, _label in form.fields["action"].choices if name}


def test_view_only_staff_get_no_lifecycle_actions_and_cannot_post_them(client):
    from django.contrib.auth.models import Permission

    viewer = StaffFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="federation",
            codename__in=["view_organisation", "view_organisationchangerequest", "view_invitation"],
        )
    )
    applied = OrganisationFactory(status="applied")
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert not _offered_actions(response) & {"approve", "reject", "suspend", "lapse", "reinstate"}
    _action(client, "approve", [applied])
    applied.refresh_from_db()
    assert applied.status == "applied"
    assert not MembershipEvent.objects.filter(organisation=applied, to_status="active").exists()
    for url in ["/admin/federation/organisationchangerequest/", "/admin/federation/invitation/"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert _offered_actions(page) == set(), url


def test_the_staff_group_keeps_every_action(client, staff):
    for url, expected in [
        (CHANGELIST, {"approve", "reject", "suspend", "lapse", "reinstate"}),
        ("/admin/federation/organisationchangerequest/", {"approve", "reject"}),
        ("/admin/federation/invitation/", {"revoke"}),
    ]:
        client.force_login(staff)
        OrganisationFactory()
        page = client.get(url)
        assert expected <= _offered_actions(page), url
