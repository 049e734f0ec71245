import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliances.models import AllianceMembership
from federation.access import SESSION_KEY
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    UserFactory,
)

from .factories import AllianceMembershipFactory, alliance, secretary_of

pytestmark = pytest.mark.django_db

Status = AllianceMembership.Status


# --- public --------------------------------------------------------------------------


def test_alliance_list_shows_the_seven_with_active_member_counts(client):
    AllianceMembershipFactory(status=Status.ACTIVE)
    AllianceMembershipFactory(status=Status.ACTIVE)
    AllianceMembershipFactory(status=Status.PENDING)
    AllianceMembershipFactory(
        status=Status.ACTIVE, organisation=OrganisationFactory(status="lapsed")
    )
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/")
    assert response.status_code == 200
    counts = {a.code: a.member_count for a in response.context["alliances"]}
    assert len(counts) == 7
    assert counts["elderly"] == 2
    assert counts["youth"] == 0
    assert "Elderly Services Alliance" in response.content.decode()


def test_alliance_detail_lists_only_active_members_linked_to_the_directory(client):
    shown = AllianceMembershipFactory(status=Status.ACTIVE).organisation
    hidden = [
        AllianceMembershipFactory(status=status).organisation
        for status in (Status.PENDING, Status.DECLINED, Status.LEFT)
    ]
    hidden.append(
        AllianceMembershipFactory(organisation=OrganisationFactory(status="suspended")).organisation
    )
    other_alliance = AllianceMembershipFactory(alliance=alliance("youth")).organisation
    lead = OrganisationFactory()
    alliance().__class__.objects.filter(code="elderly").update(lead_organisation=lead)
    response = client.get("/alliances/elderly/")
    assert response.status_code == 200
    assert list(response.context["organisations"]) == [shown]
    html = response.content.decode()
    assert f'href="/organisations/{shown.slug}/"' in html
    assert f'href="/organisations/{lead.slug}/"' in html
    for organisation in [*hidden, other_alliance]:
        assert organisation.name not in html


def test_alliance_detail_lists_sixty_members_a_page(client):
    for index in range(63):
        AllianceMembershipFactory(organisation=OrganisationFactory(name=f"成员{index:03d}（虚构）"))
    AllianceMembershipFactory(organisation=OrganisationFactory(status="suspended"))
    first = client.get("/alliances/elderly/")
    assert len(first.context["organisations"]) == 60
    assert first.context["paginator"].count == 63
    assert "page=2#members-title" in first.content.decode()
    second = client.get("/alliances/elderly/", {"page": "2"})
    assert [o.name for o in second.context["organisations"]] == [
        "成员060（虚构）",
        "成员061（虚构）",
        "成员062（虚构）",
    ]


def test_alliance_detail_of_an_unknown_code_is_404(client):
    assert client.get("/alliances/no-such/").status_code == 404


def _make_members(count):
    for code in ("elderly", "youth"):
        for _ in range(count):
            AllianceMembershipFactory(alliance=alliance(code))


@pytest.mark.parametrize("size", [5, 50])
def test_public_pages_keep_a_constant_query_count(client, django_assert_max_num_queries, size):
    _make_members(size)
    with django_assert_max_num_queries(2):
        response = client.get("/alliances/")
    assert response.context["alliances"][0].member_count == size
    # alliance, members, the events tags' upcoming, past and this year's figures,
    # and the registered sections (news: one query)
    with django_assert_max_num_queries(6):
        response = client.get("/alliances/elderly/")
    assert len(response.context["organisations"]) == size


def test_home_page_lists_the_seven_alliances(client):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("elderly", "philanthropy"):
        assert f'href="/alliances/{code}/"' in html


# --- secretary pages ----------------------------------------------------------------


def test_manage_page_for_the_secretary_lists_pending_and_members(client):
    secretary = secretary_of("elderly")
    pending = AllianceMembershipFactory(status=Status.PENDING)
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary)
    response = client.get("/alliances/elderly/manage/")
    assert response.status_code == 200
    assert response.context["pending"] == [pending]
    assert response.context["active"] == [member]
    assert client.get("/alliances/manage/").status_code == 200
    assert [a.code for a in client.get("/alliances/manage/").context["alliances"]] == ["elderly"]


def test_secretary_of_a_cannot_see_or_change_b_applications(client):
    secretary_of("elderly")
    other = secretary_of("youth")
    application = AllianceMembershipFactory(status=Status.PENDING)  # elderly
    client.force_login(other)
    assert client.get("/alliances/elderly/manage/").status_code == 404
    url = reverse("alliances:membership-decide", args=["elderly", application.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    # Through their own alliance's URL the other alliance's row is not found either.
    url = reverse("alliances:membership-decide", args=["youth", application.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    url = reverse("alliances:membership-remove", args=["youth", application.pk])
    assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_users_without_an_alliance_get_404_and_visitors_the_login(client):
    assert client.get("/alliances/elderly/manage/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/alliances/elderly/manage/").status_code == 404
    assert client.get("/alliances/manage/").status_code == 404


def test_secretary_approves_and_declines_through_the_page(client):
    secretary = secretary_of("elderly")
    first = AllianceMembershipFactory(status=Status.PENDING)
    second = AllianceMembershipFactory(status=Status.PENDING)
    client.force_login(secretary)
    response = client.post(
        reverse("alliances:membership-decide", args=["elderly", first.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    client.post(
        reverse("alliances:membership-decide", args=["elderly", second.pk]), {"decision": "decline"}
    )
    second.refresh_from_db()
    assert second.status == Status.PENDING  # no reason: refused
    client.post(
        reverse("alliances:membership-decide", args=["elderly", second.pk]),
        {"decision": "decline", "reason": "不符合"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.ACTIVE, Status.DECLINED)


def test_secretary_removes_a_member(client):
    secretary = secretary_of("elderly")
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary)
    client.post(
        reverse("alliances:membership-remove", args=["elderly", member.pk]), {"reason": "x"}
    )
    member.refresh_from_db()
    assert member.status == Status.LEFT


def test_staff_manage_every_alliance(client):
    client.force_login(FederationStaffFactory())
    assert client.get("/alliances/owners/manage/").status_code == 200
    assert len(client.get("/alliances/manage/").context["alliances"]) == 7


def test_manage_page_query_count_is_constant(client):
    secretary = secretary_of("elderly")
    client.force_login(secretary)
    counts = []
    for size in (3, 60):
        for _ in range(size):
            AllianceMembershipFactory(status=Status.PENDING)
            AllianceMembershipFactory(status=Status.ACTIVE)
            AllianceMembershipFactory(status=Status.LEFT)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/alliances/elderly/manage/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 13, counts


def test_manage_page_pages_members_by_fifty_with_a_name_search(client):
    for n in range(53):
        AllianceMembershipFactory(
            status=Status.ACTIVE,
            organisation=OrganisationFactory(name=f"社区服务社{n:02d}（虚构）"),
        )
    AllianceMembershipFactory(
        status=Status.ACTIVE, organisation=OrganisationFactory(name="阳光助老中心（虚构）")
    )
    for _ in range(22):
        AllianceMembershipFactory(status=Status.LEFT)
    client.force_login(secretary_of("elderly"))
    response = client.get("/alliances/elderly/manage/")
    names = [m.organisation.name for m in response.context["active"]]
    assert len(names) == 50 and names == sorted(names)
    assert response.context["page_obj"].paginator.count == 54
    assert len(response.context["closed"]) == 20 and response.context["closed_count"] == 22
    assert "page=2#members-title" in response.content.decode()
    second = client.get("/alliances/elderly/manage/", {"page": 2}).context["active"]
    assert len(second) == 4 and not set(second) & set(response.context["active"])
    found = client.get("/alliances/elderly/manage/", {"q": "阳光"}).context["active"]
    assert [m.organisation.name for m in found] == ["阳光助老中心（虚构）"]
    # A stale page number shows the last page.
    assert client.get("/alliances/elderly/manage/", {"page": 9}).context["active"] == second


# --- /my/alliances/ ---------------------------------------------------------------------


def _login_org_admin(client, organisation=None):
    admin = OrgAdminFactory(organisation=organisation or OrganisationFactory()).user
    client.force_login(admin)
    return admin, admin.organisation_memberships.get().organisation


def test_my_alliances_shows_status_per_alliance(client):
    admin, organisation = _login_org_admin(client)
    AllianceMembershipFactory(organisation=organisation, status=Status.ACTIVE)
    response = client.get("/my/alliances/")
    assert response.status_code == 200
    statuses = {s.alliance.code: s.membership for s in response.context["statuses"]}
    assert statuses["elderly"].status == Status.ACTIVE
    assert statuses["youth"] is None
    assert response.context["is_org_admin"] is True


def test_my_alliances_is_404_without_an_organisation(client):
    client.force_login(UserFactory())
    assert client.get("/my/alliances/").status_code == 404


def test_org_admin_applies_and_leaves_from_my_alliances(client):
    admin, organisation = _login_org_admin(client)
    response = client.post("/my/alliances/youth/apply/", {"note": "青年志愿者团队"})
    assert response.status_code == 302
    membership = AllianceMembership.objects.get(organisation=organisation)
    assert (membership.alliance.code, membership.status, membership.note) == (
        "youth",
        Status.PENDING,
        "青年志愿者团队",
    )
    client.post(reverse("alliances:leave", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


def test_org_member_who_is_not_admin_cannot_apply(client):
    organisation = OrganisationFactory()
    user = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=user)
    client.force_login(user)
    assert client.get("/my/alliances/").status_code == 200
    assert client.post("/my/alliances/youth/apply/").status_code == 404
    assert not AllianceMembership.objects.exists()


def test_org_admin_cannot_leave_for_another_organisation(client):
    _login_org_admin(client)
    others = AllianceMembershipFactory(status=Status.ACTIVE)
    assert client.post(reverse("alliances:leave", args=[others.pk])).status_code == 404
    others.refresh_from_db()
    assert others.status == Status.ACTIVE


def test_apply_refusal_is_shown_as_a_message(client):
    _admin, organisation = _login_org_admin(client, OrganisationFactory(status="applied"))
    client.cookies["django_language"] = "en"
    response = client.post("/my/alliances/youth/apply/", follow=True)
    assert "Only active member organisations" in response.content.decode()
    assert not AllianceMembership.objects.exists()


def test_my_alliances_follows_the_current_organisation(client):
    admin, first = _login_org_admin(client)
    second = OrganisationFactory()
    OrgAdminFactory(organisation=second, user=admin)
    session = client.session
    session[SESSION_KEY] = second.pk
    session.save()
    client.post("/my/alliances/elderly/apply/")
    assert AllianceMembership.objects.get().organisation == second


# --- confirmation steps, bad input, privacy (review) -----------------------------------


def test_secretary_remove_asks_for_confirmation_before_anything_changes(client):
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary_of("elderly"))
    url = reverse("alliances:membership-remove", args=["elderly", member.pk])
    assert f'href="{url}"' in client.get("/alliances/elderly/manage/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert member.organisation.name in response.context["confirm_question"]
    member.refresh_from_db()
    assert member.status == Status.ACTIVE
    client.post(url, {"reason": "长期未参加活动"})
    member.refresh_from_db()
    assert member.status == Status.LEFT
    assert member.changes.get(to_status=Status.LEFT).reason == "长期未参加活动"


def test_secretary_cannot_remove_a_pending_application_only_decline_it(client):
    pending = AllianceMembershipFactory(status=Status.PENDING)
    client.force_login(secretary_of("elderly"))
    url = reverse("alliances:membership-remove", args=["elderly", pending.pk])
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not pending.changes.exists()


def test_a_double_submitted_remove_lands_on_the_manage_page_not_a_404(client):
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary_of("elderly"))
    url = reverse("alliances:membership-remove", args=["elderly", member.pk])
    assert client.post(url).status_code == 302
    second = client.post(url)
    assert second.status_code == 302
    assert second["Location"] == "/alliances/elderly/manage/"
    assert member.changes.filter(to_status=Status.LEFT).count() == 1


def test_secretary_of_another_alliance_cannot_open_the_remove_confirmation(client):
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary_of("youth"))
    assert client.get(f"/alliances/elderly/manage/{member.pk}/remove/").status_code == 404
    assert client.get(f"/alliances/youth/manage/{member.pk}/remove/").status_code == 404


def test_remove_with_a_too_long_reason_is_refused_and_nothing_changes(client):
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    client.force_login(secretary_of("elderly"))
    response = client.post(
        reverse("alliances:membership-remove", args=["elderly", member.pk]), {"reason": "x" * 1001}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("reason", "max_length")
    member.refresh_from_db()
    assert member.status == Status.ACTIVE
    assert not member.changes.exists()


def test_leave_asks_for_confirmation_and_refuses_a_too_long_reason(client):
    _admin, organisation = _login_org_admin(client)
    membership = AllianceMembershipFactory(organisation=organisation, status=Status.ACTIVE)
    url = reverse("alliances:leave", args=[membership.pk])
    assert f'href="{url}"' in client.get("/my/alliances/").content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "x" * 1001})
    assert response.status_code == 400
    assert response.context["form"].has_error("reason", "max_length")
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    client.post(url, {"reason": "精力有限"})
    membership.refresh_from_db()
    assert membership.status == Status.LEFT
    # Once ended, the confirmation page sends the user back to the list.
    assert client.get(url).status_code == 302


def test_leave_confirmation_of_another_organisation_is_404(client):
    _login_org_admin(client)
    others = AllianceMembershipFactory(status=Status.ACTIVE)
    assert client.get(reverse("alliances:leave", args=[others.pk])).status_code == 404


def test_decide_with_a_too_long_reason_says_so_and_changes_nothing(client):
    pending = AllianceMembershipFactory(status=Status.PENDING)
    client.force_login(secretary_of("elderly"))
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("alliances:membership-decide", args=["elderly", pending.pk]),
        {"decision": "decline", "reason": "x" * 1001},
        follow=True,
    )
    assert "under 1000 characters" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_my_alliances_history_does_not_show_the_deciders_e_mail_address(ordinary_day, client):
    _admin, organisation = _login_org_admin(client)
    membership = AllianceMembershipFactory(organisation=organisation, status=Status.LEFT)
    staff = FederationStaffFactory(email="staff.person@example.org", name="")
    named = FederationStaffFactory(email="named.person@example.org", name="王秘书（虚构）")
    for actor, to_status in ((staff, Status.ACTIVE), (named, Status.LEFT)):
        membership.changes.create(
            from_status=Status.PENDING,
            to_status=to_status,
            changed_by=actor,
            changed_at=timezone.now(),
        )
    html = client.get("/my/alliances/").content.decode()
    assert "staff.person@example.org" not in html
    assert "named.person@example.org" not in html
    assert "王秘书（虚构）" in html
    # The alliance's managers still see who acted.
    client.force_login(named)
    assert "staff.person@example.org" in client.get("/alliances/elderly/manage/").content.decode()


def test_public_pages_do_not_name_a_lead_organisation_that_left_the_federation(client):
    lead = OrganisationFactory(name="已退会的牵头单位（虚构）")
    alliance().__class__.objects.filter(code="elderly").update(lead_organisation=lead)
    assert lead.name in client.get("/alliances/elderly/").content.decode()
    lead.__class__.objects.filter(pk=lead.pk).update(status="lapsed")
    for url in ("/alliances/", "/alliances/elderly/"):
        html = client.get(url).content.decode()
        assert lead.name not in html
        assert f"/organisations/{lead.slug}/" not in html
