"""Nominations, decisions, gapless award numbers (also under concurrency), verification."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from festival import services
from festival.models import Award, AwardType, HonourRound, Nomination
from tests.events.factories import ParticipantFactory
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory

from .factories import award_type, honour_round


@pytest.mark.django_db
def test_numbers_are_per_type_and_year_without_gaps():
    staff = FederationStaffFactory()
    pioneers = honour_round(year=2021)
    volunteers = honour_round(award_type("YXZYZ", "优秀志愿者"), year=2021)
    pioneers_2022 = honour_round(year=2022)
    numbers = [
        services.award_grant(round=r, recipient_name=f"张{n}（虚构）", organisation=None,
                             acting_user=staff).number
        for n, r in enumerate([pioneers, pioneers, volunteers, pioneers_2022, pioneers])
    ]  # fmt: skip
    assert numbers == [
        "BYXF-2021-001",
        "BYXF-2021-002",
        "YXZYZ-2021-001",
        "BYXF-2022-001",
        "BYXF-2021-003",
    ]


@pytest.mark.django_db
def test_org_admin_nominates_own_people_staff_decides():
    staff = FederationStaffFactory()
    admin = OrgAdminFactory()
    own = ParticipantFactory(organisation=admin.organisation, name="李*（虚构）")
    stranger = ParticipantFactory()
    round = honour_round(award_type("YXZYZ", "优秀志愿者"), year=2026)
    with pytest.raises(ValidationError) as error:
        services.nomination_create(
            round=round, reason="热心", nominated_by_organisation=admin.organisation,
            nominee_participant=stranger, acting_user=admin.user,
        )  # fmt: skip
    assert error.value.code == "not_own_person"
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            round=round, reason="热心", nominated_by_organisation=stranger.organisation,
            nominee_participant=stranger, acting_user=admin.user,
        )  # fmt: skip
    nomination = services.nomination_create(
        round=round, reason="常年服务", nominated_by_organisation=admin.organisation,
        nominee_participant=own, acting_user=admin.user,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.nomination_decide(nomination=nomination, accept=True, acting_user=admin.user)
    award = services.nomination_decide(nomination=nomination, accept=True, acting_user=staff)
    assert award.number == "YXZYZ-2026-001"
    assert award.recipient_name == "李*（虚构）" and award.organisation == admin.organisation
    with pytest.raises(ValidationError) as error:
        services.nomination_decide(nomination=nomination, accept=False, acting_user=staff)
    assert error.value.code == "decided"


@pytest.mark.django_db
def test_organisation_award_nominates_the_organisation_itself_and_closed_rounds_refuse():
    admin = OrgAdminFactory()
    round = honour_round(award_type("YXSHZZ", "优秀社会组织", AwardType.Recipient.ORGANISATION))
    nomination = services.nomination_create(
        round=round, reason="服务出色", nominated_by_organisation=admin.organisation,
        acting_user=admin.user,
    )  # fmt: skip
    assert nomination.nominee_organisation == admin.organisation
    assert nomination.nominee_name == admin.organisation.name
    HonourRound.objects.filter(pk=round.pk).update(status=HonourRound.Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.nomination_create(
            round=round, reason="x", nominated_by_organisation=admin.organisation,
            acting_user=admin.user,
        )  # fmt: skip
    assert error.value.code == "round_closed"


@pytest.mark.django_db
def test_verification_shows_name_award_and_year_only(client):
    staff = FederationStaffFactory()
    admin = OrgAdminFactory()
    award = services.award_grant(
        round=honour_round(year=2021), recipient_name="王志华（虚构）",
        organisation=admin.organisation, acting_user=staff,
    )  # fmt: skip
    response = client.get(reverse("festival:honour-verify", args=[award.number.lower()]))
    assert response.status_code == 200
    details = response.context["award"]
    assert details == award
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")] if "<main" in body else body
    assert "王志华（虚构）" in main and "百益先锋" in main and "2021" in main
    assert admin.organisation.name not in main  # nothing beyond name, award and year
    assert "已撤销" not in main and "revoked" not in main.lower()
    services.award_revoke(award=award, reason="核实有误", acting_user=staff)
    main = client.get(reverse("festival:honour-verify", args=[award.number])).content.decode()
    assert "已撤销" in main
    assert "核实有误" not in main  # the reason stays in the back office
    assert client.get(reverse("festival:honour-verify", args=["BYXF-2021-999"])).status_code == 404


@pytest.mark.django_db
def test_honour_roll_lists_standing_awards_of_the_year(client, django_assert_max_num_queries):
    staff = FederationStaffFactory()
    round = honour_round(year=2021)
    awards = [
        services.award_grant(round=round, recipient_name=f"先锋{n}（虚构）", organisation=None,
                             acting_user=staff)
        for n in range(30)
    ]  # fmt: skip
    services.award_revoke(award=awards[3], reason="撤销", acting_user=staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("festival:honour-roll-year", args=[2021]))
    content = response.content.decode()
    assert "先锋0（虚构）" in content and "先锋29（虚构）" in content
    assert "先锋3（虚构）" not in content


@pytest.mark.django_db
def test_staff_review_page_accepts_and_org_admins_page_nominates(client):
    staff = FederationStaffFactory()
    admin = OrgAdminFactory()
    person = ParticipantFactory(organisation=admin.organisation)
    round = honour_round(award_type("YXZYZ", "优秀志愿者"), year=2026)
    client.force_login(admin.user)
    assert client.get(reverse("festival:my-honours")).status_code == 200
    url = reverse("festival:nomination-create", args=[round.pk])
    response = client.post(url, {"participant": person.pk, "reason": "服务 300 小时"})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert client.get(reverse("festival:nomination-review")).status_code == 403
    client.force_login(staff)
    response = client.post(
        reverse("festival:nomination-review"),
        {"nomination": nomination.pk, "decision": "accept"},
    )
    assert response.status_code == 302
    assert Award.objects.get().number == "YXZYZ-2026-001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_decisions_number_without_gaps_or_duplicates(postgres_only):
    staff = FederationStaffFactory()
    round = honour_round(year=2021)
    nominations = [
        Nomination.objects.create(round=round, nominee_name=f"候选{n}（虚构）", reason="x")
        for n in range(12)
    ]
    barrier = threading.Barrier(len(nominations))
    errors = []

    def decide(nomination):
        try:
            barrier.wait()
            services.nomination_decide(nomination=nomination, accept=True, acting_user=staff)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in nominations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Award.objects.filter(round=round).values_list("serial", flat=True))
    assert serials == list(range(1, 13))
