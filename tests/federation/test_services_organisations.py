import pytest
from django.core.exceptions import ValidationError

from federation import services
from federation.creditcode import credit_code_check_character
from federation.models import (
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
)
from notifications.models import Message

from .factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    UserFactory,
    error_codes,
    service_field,
)

pytestmark = pytest.mark.django_db
Status = Organisation.Status
WARNING_CODE = "51310106MJ0000017" + credit_code_check_character("51310106MJ0000017")


def _applied(applicant, details, **kwargs):
    return services.organisation_apply(details=details, acting_user=applicant, **kwargs)


# --- apply -------------------------------------------------------------------------


def test_apply_creates_an_applied_organisation_with_the_applicant_as_org_admin(
    applicant, details, staff
):
    organisation = _applied(applicant, details, service_fields=[service_field("elderly-care")])
    assert organisation.status == Status.APPLIED
    assert organisation.joined_on is None
    assert organisation.credit_code == "51310106MJ00000189"
    assert organisation.contact_phone == "13800000000"
    assert organisation.contact_email == "contact@example.org"
    assert organisation.slug
    assert organisation.name_pinyin.startswith("shanghaishijinganqu")
    assert "cswls" in organisation.pinyin_search  # 测试为老社
    member = OrganisationMember.objects.get(organisation=organisation)
    assert (member.user, member.role) == (applicant, OrganisationMember.Role.ADMIN)
    event = MembershipEvent.objects.get(organisation=organisation)
    assert (event.from_status, event.to_status, event.acting_user) == ("", "applied", applicant)
    message = Message.objects.get(kind="membership_received")
    assert message.recipient == staff


def test_apply_without_staff_in_the_group_tells_the_office_address(applicant, details, settings):
    _applied(applicant, details)
    message = Message.objects.get(kind="membership_received")
    assert message.recipient is None
    assert message.email == settings.YILU_CONTACT_EMAIL


def test_apply_needs_a_verified_email(details):
    user = UserFactory()
    user.emailaddress_set.update(verified=False)
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_apply(details=details, acting_user=user)
    assert excinfo.value.code == "email_unverified"


def test_apply_refuses_a_second_pending_application(applicant, details):
    _applied(applicant, details)
    other = dict(details, name="另一个组织（虚构）", credit_code="")
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, other)
    assert excinfo.value.code == "application_pending"


def test_apply_refuses_an_invalid_or_taken_credit_code(applicant, details):
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, dict(details, credit_code="91350100M000100Y4Z"))
    assert error_codes(excinfo.value) == {"credit_code_checksum"}
    OrganisationFactory(credit_code="51310106MJ00000189")
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, details)
    assert error_codes(excinfo.value) == {"credit_code_taken"}


def test_apply_refuses_a_code_of_another_legal_form(applicant, details):
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, dict(details, legal_form="foundation"))
    assert error_codes(excinfo.value) == {"credit_code_legal_form_mismatch"}


def test_apply_with_a_position_17_failure_needs_the_applicants_confirmation(applicant, details):
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, dict(details, credit_code=WARNING_CODE))
    assert error_codes(excinfo.value) == {"credit_code_check_warning"}
    organisation = _applied(
        applicant, dict(details, credit_code=WARNING_CODE), credit_code_confirmed=True
    )
    assert organisation.credit_code_needs_override


def test_community_groups_have_no_credit_code(applicant, details):
    with pytest.raises(ValidationError):
        _applied(applicant, dict(details, legal_form="community_group"))
    organisation = _applied(
        applicant,
        dict(details, legal_form="community_group", credit_code="", registration_status="filed"),
    )
    assert organisation.credit_code == ""


def test_apply_refuses_a_bad_phone(applicant, details):
    with pytest.raises(ValidationError) as excinfo:
        _applied(applicant, dict(details, contact_phone="12345"))
    assert error_codes(excinfo.value) == {"phone_invalid"}


# --- lifecycle -----------------------------------------------------------------------


@pytest.fixture
def applied(applicant, details):
    return _applied(applicant, details)


def test_approve_makes_a_member_records_history_and_tells_the_applicant(applied, staff, applicant):
    organisation = services.organisation_approve(organisation=applied, acting_user=staff)
    assert organisation.status == Status.ACTIVE
    assert organisation.joined_on is not None
    event = organisation.membership_events.first()
    assert (event.from_status, event.to_status, event.acting_user) == ("applied", "active", staff)
    message = Message.objects.get(kind="membership_decided")
    assert message.recipient == applicant
    assert message.language == "en"  # the applicant's language
    assert message.context["decision"] == "approved"


def test_reject_needs_a_reason_and_sends_it(applied, staff):
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_reject(organisation=applied, reason=" ", acting_user=staff)
    assert excinfo.value.code == "reason_required"
    organisation = services.organisation_reject(
        organisation=applied, reason="材料不全", acting_user=staff
    )
    assert organisation.status == Status.REJECTED
    assert organisation.membership_events.first().reason == "材料不全"
    message = Message.objects.get(kind="membership_decided")
    assert message.context["decision"] == "rejected"
    assert message.context["reason"] == "材料不全"


@pytest.mark.parametrize(
    ("service", "from_status", "to_status"),
    [
        (services.organisation_suspend, Status.ACTIVE, Status.SUSPENDED),
        (services.organisation_lapse, Status.ACTIVE, Status.LAPSED),
        (services.organisation_lapse, Status.SUSPENDED, Status.LAPSED),
        (services.organisation_reinstate, Status.SUSPENDED, Status.ACTIVE),
        (services.organisation_reinstate, Status.LAPSED, Status.ACTIVE),
        (services.organisation_withdraw, Status.ACTIVE, Status.WITHDRAWN),
        (services.organisation_withdraw, Status.SUSPENDED, Status.WITHDRAWN),
        (services.organisation_withdraw, Status.LAPSED, Status.WITHDRAWN),
    ],
)
def test_each_transition_moves_and_records_who_when_from_to_and_why(
    service, from_status, to_status, staff
):
    organisation = OrganisationFactory(status=from_status)
    result = service(organisation=organisation, reason="理由（测试）", acting_user=staff)
    assert result.status == to_status
    organisation.refresh_from_db()
    assert organisation.status == to_status
    event = MembershipEvent.objects.get(organisation=organisation)
    assert (event.from_status, event.to_status, event.reason, event.acting_user) == (
        from_status,
        to_status,
        "理由（测试）",
        staff,
    )
    assert event.created_at is not None


@pytest.mark.parametrize(
    ("service", "wrong_states"),
    [
        (services.organisation_approve, ["active", "suspended", "lapsed", "withdrawn", "rejected"]),
        (services.organisation_reject, ["active", "suspended", "lapsed", "withdrawn", "rejected"]),
        (
            services.organisation_suspend,
            ["applied", "suspended", "lapsed", "withdrawn", "rejected"],
        ),
        (services.organisation_lapse, ["applied", "lapsed", "withdrawn", "rejected"]),
        (services.organisation_reinstate, ["applied", "active", "withdrawn", "rejected"]),
        (services.organisation_withdraw, ["applied", "withdrawn", "rejected"]),
    ],
)
def test_each_transition_refuses_the_wrong_state(service, wrong_states, staff):
    for status in wrong_states:
        organisation = OrganisationFactory(status=status)
        with pytest.raises(ValidationError) as excinfo:
            service(organisation=organisation, reason="理由", acting_user=staff)
        assert excinfo.value.code == "wrong_state", (service.__name__, status)
        organisation.refresh_from_db()
        assert organisation.status == status
    assert not MembershipEvent.objects.exists()


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (services.organisation_approve, Status.APPLIED),
        (services.organisation_reject, Status.APPLIED),
        (services.organisation_suspend, Status.ACTIVE),
        (services.organisation_lapse, Status.ACTIVE),
        (services.organisation_reinstate, Status.SUSPENDED),
    ],
)
def test_only_staff_decide(service, status):
    organisation = OrganisationFactory(status=status)
    org_admin = OrgAdminFactory(organisation=organisation).user
    for user in (org_admin, UserFactory()):
        with pytest.raises(ValidationError) as excinfo:
            service(organisation=organisation, reason="理由", acting_user=user)
        assert excinfo.value.code == "not_staff"
    organisation.refresh_from_db()
    assert organisation.status == status


def test_an_org_admin_may_withdraw_their_own_organisation_but_nobody_else_may():
    organisation = OrganisationFactory(status=Status.ACTIVE)
    admin = OrgAdminFactory(organisation=organisation).user
    outsider = OrgAdminFactory().user
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_withdraw(organisation=organisation, reason="r", acting_user=outsider)
    assert excinfo.value.code == "not_org_admin"
    services.organisation_withdraw(organisation=organisation, reason="停止活动", acting_user=admin)
    organisation.refresh_from_db()
    assert organisation.status == Status.WITHDRAWN


@pytest.mark.parametrize(
    "service",
    [
        services.organisation_suspend,
        services.organisation_lapse,
        services.organisation_reinstate,
        services.organisation_withdraw,
    ],
)
def test_transitions_other_than_approval_need_a_reason(service, staff):
    organisation = OrganisationFactory(status=Status.SUSPENDED)
    with pytest.raises(ValidationError) as excinfo:
        service(organisation=organisation, reason="", acting_user=staff)
    assert excinfo.value.code == "reason_required"


def test_approval_of_a_position_17_failure_needs_staff_acceptance(applicant, details, staff):
    organisation = _applied(
        applicant, dict(details, credit_code=WARNING_CODE), credit_code_confirmed=True
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_approve(organisation=organisation, acting_user=staff)
    assert excinfo.value.code == "credit_code_check_warning"
    organisation = services.organisation_approve(
        organisation=organisation, accept_credit_code_warning=True, acting_user=staff
    )
    organisation.refresh_from_db()
    assert organisation.status == Status.ACTIVE
    assert organisation.credit_code_warning_accepted


# --- staff registry writes -------------------------------------------------------------


def test_staff_register_a_member_with_an_org_admin(details, staff):
    org_admin = UserFactory()
    organisation = services.organisation_register(
        details=details, org_admin=org_admin, acting_user=staff
    )
    assert organisation.status == Status.ACTIVE
    assert organisation.joined_on is not None
    assert organisation.members.get().user == org_admin
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(details=dict(details, name="x"), acting_user=org_admin)
    assert excinfo.value.code == "not_staff"


def test_staff_accept_a_position_17_warning_only_explicitly(details, staff):
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(
            details=dict(details, credit_code=WARNING_CODE), acting_user=staff
        )
    assert error_codes(excinfo.value) == {"credit_code_check_warning"}
    organisation = services.organisation_register(
        details=dict(details, credit_code=WARNING_CODE),
        accept_credit_code_warning=True,
        acting_user=staff,
    )
    assert organisation.credit_code_warning_accepted
    # Later edits keep the accepted code without asking again.
    services.organisation_update(
        organisation=organisation, details={"short_name": "新简称"}, acting_user=staff
    )


def test_staff_update_keeps_pinyin_in_step_and_does_not_touch_unchanged_rows(details, staff):
    organisation = services.organisation_register(details=details, acting_user=staff)
    stamp = Organisation.objects.get(pk=organisation.pk).updated_at
    services.organisation_update(organisation=organisation, details=details, acting_user=staff)
    assert Organisation.objects.get(pk=organisation.pk).updated_at == stamp
    services.organisation_update(
        organisation=organisation, details={"short_name": "静安社联"}, acting_user=staff
    )
    organisation.refresh_from_db()
    assert "jasl" in organisation.pinyin_search.split()


# --- org admin profile and change requests ------------------------------------------------


@pytest.fixture
def member_org(details, staff):
    org_admin = UserFactory()
    organisation = services.organisation_register(
        details=details, org_admin=org_admin, acting_user=staff
    )
    return organisation, org_admin


def test_profile_edit_saves_ordinary_fields_at_once(member_org):
    organisation, org_admin = member_org
    change_request = services.organisation_profile_update(
        organisation=organisation,
        details={"description": "新简介", "contact_phone": "021 6234 5678"},
        service_fields=[service_field("health")],
        acting_user=org_admin,
    )
    assert change_request is None
    organisation.refresh_from_db()
    assert organisation.description == "新简介"
    assert organisation.contact_phone == "021-62345678"
    assert list(organisation.service_fields.values_list("code", flat=True)) == ["health"]


def test_a_new_credit_code_or_legal_form_waits_for_staff(member_org, staff):
    organisation, org_admin = member_org
    change_request = services.organisation_profile_update(
        organisation=organisation,
        details={"credit_code": "52310106MJ00000261", "legal_form": "service_agency"},
        acting_user=org_admin,
    )
    organisation.refresh_from_db()
    assert organisation.credit_code == "51310106MJ00000189"
    assert organisation.legal_form == "social_group"
    assert change_request.status == OrganisationChangeRequest.Status.PENDING
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_change_request_approve(
            change_request=change_request, acting_user=org_admin
        )
    assert excinfo.value.code == "not_staff"
    services.organisation_change_request_approve(change_request=change_request, acting_user=staff)
    organisation.refresh_from_db()
    assert (organisation.credit_code, organisation.legal_form) == (
        "52310106MJ00000261",
        "service_agency",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_change_request_approve(
            change_request=change_request, acting_user=staff
        )
    assert excinfo.value.code == "wrong_state"


def test_a_newer_change_request_replaces_the_pending_one_and_rejection_keeps_the_registry(
    member_org, staff
):
    organisation, org_admin = member_org
    first = services.organisation_profile_update(
        organisation=organisation,
        details={"legal_form": "service_agency", "credit_code": "52310106MJ00000261"},
        acting_user=org_admin,
    )
    second = services.organisation_profile_update(
        organisation=organisation,
        details={"credit_code": "51310108MJ0000042N"},
        acting_user=org_admin,
    )
    first.refresh_from_db()
    assert first.status == OrganisationChangeRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_change_request_reject(
            change_request=second, reason="", acting_user=staff
        )
    assert excinfo.value.code == "reason_required"
    services.organisation_change_request_reject(
        change_request=second, reason="与证书不符", acting_user=staff
    )
    organisation.refresh_from_db()
    assert organisation.credit_code == "51310106MJ00000189"


def test_profile_edit_refuses_non_admins(member_org):
    organisation, _admin = member_org
    plain = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=plain)
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_profile_update(
            organisation=organisation, details={"description": "x"}, acting_user=plain
        )
    assert excinfo.value.code == "not_org_admin"


def test_while_applied_the_credit_code_changes_directly(applied, applicant):
    change_request = services.organisation_profile_update(
        organisation=applied, details={"credit_code": "51310108MJ0000042N"}, acting_user=applicant
    )
    assert change_request is None
    applied.refresh_from_db()
    assert applied.credit_code == "51310108MJ0000042N"


def test_joined_on_is_staff_only(applied, applicant):
    services.organisation_profile_update(
        organisation=applied, details={"joined_on": "2000-01-01"}, acting_user=applicant
    )
    applied.refresh_from_db()
    assert applied.joined_on is None


def test_database_constraints_back_the_rules(db):
    from django.db import IntegrityError, transaction

    OrganisationFactory(credit_code="51310106MJ00000189")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(credit_code="51310106MJ00000189")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(status="bogus")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(rating="3A", rating_year=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(has_public_fundraising=True, is_charity=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(legal_form="community_group", credit_code="51310106MJ00000261")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(credit_code="51310106mj00000261")
    # Many organisations without a code are fine.
    OrganisationFactory(credit_code="")
    OrganisationFactory(credit_code="")
    FederationStaffFactory()


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_application_files_only_one(postgres_only):
    import threading

    from django.db import connection

    from .factories import street

    applicant = UserFactory()
    rounds = 4
    barrier = threading.Barrier(rounds)
    outcomes = []

    def apply(number):
        details = {
            "name": f"上海市静安区双击测试睦邻社{number}（虚构）",
            "legal_form": "community_group",
            "street": street("310106006"),
        }
        try:
            barrier.wait()
            services.organisation_apply(details=details, acting_user=applicant)
            outcomes.append("applied")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(number,)) for number in range(rounds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["application_pending"] * (rounds - 1) + ["applied"]
    assert OrganisationMember.objects.filter(user=applicant).count() == 1


def test_a_future_founding_date_or_an_impossible_rating_year_is_refused(applicant, details):
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    next_year = timezone.localdate().year + 1
    for extra, code in [
        ({"established_on": tomorrow}, "established_in_future"),
        ({"rating": "4A", "rating_year": next_year}, "rating_year_invalid"),
        ({"rating": "4A", "rating_year": 1990}, "rating_year_invalid"),
    ]:
        with pytest.raises(ValidationError) as caught:
            _applied(applicant, {**details, **extra})
        assert error_codes(caught.value) == {code}, extra
    assert not Organisation.objects.filter(name=details["name"]).exists()
    organisation = _applied(
        applicant,
        {
            **details,
            "established_on": timezone.localdate(),
            "rating": "4A",
            "rating_year": timezone.localdate().year,
        },
    )
    assert organisation.rating_year == timezone.localdate().year
