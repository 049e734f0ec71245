"""Recipes for the forms an organisation's people fill in (member, admin, a visitor).

Each recipe types what a person would type (Chinese text, full-width digits in
phone numbers), leaves optional fields untouched and clicks the button.
"""

from decimal import Decimal

from django.urls import reverse

from alliances.models import AllianceMembership
from caravan.models import Qualification
from catalogue.models import ServiceOffering
from events.models import Event, Participant, Registration
from federation.models import Invitation, Organisation, OrganisationMember
from funds.models import Grant
from tests.browser.forms_kit import button_in, open_form, recipe, shows, submit, success
from tests.config.test_permission_walk import url_for
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from volunteers.models import ServiceCertificate

ORG_RECIPES: dict = {}
MAIN = "main form[method=post]"


@recipe(ORG_RECIPES, "alliances:my-alliances", "admin_a")
def apply_to_an_alliance(page, world):
    open_form(page, world, "alliances:my-alliances")
    form = "form[action$='/community/apply/']"
    page.fill(f"{form} textarea[name=note]", "我们长期开展社区服务，希望加入联盟。")
    submit(page, button_in(page, form), name="alliances:apply")
    success(page)
    membership = AllianceMembership.objects.get(alliance__code="community")
    assert membership.note == "我们长期开展社区服务，希望加入联盟。"


@recipe(ORG_RECIPES, "caravan:my-qualification-create", "admin_a")
def add_a_qualification(page, world):
    open_form(page, world, "caravan:my-qualification-create")
    page.select_option("select[name=participant]", index=1)
    page.select_option("select[name=kind]", index=1)
    page.fill("input[name=number]", "沪卫健２０２６００１")
    page.fill("input[name=issuer]", "静安区卫生健康委员会")
    page.fill("input[name=expires_on]", "2027-06-30")
    submit(page, button_in(page, MAIN), name="caravan:my-qualification-create")
    qualification = Qualification.objects.get(issuer="静安区卫生健康委员会")
    assert qualification.issuer == "静安区卫生健康委员会"
    assert str(qualification.expires_on) == "2027-06-30"


def _offering_fields(page):
    page.fill("input[name=summary]", "为社区老人提供上门理发服务")
    page.fill("input[name=contact_person]", "陈阿姨")
    page.fill("input[name=contact_phone]", "１３９１２３４５６７８")


@recipe(ORG_RECIPES, "catalogue:my-offering-create", "admin_a")
def offer_a_service(page, world):
    open_form(page, world, "catalogue:my-offering-create")
    page.fill("input[name=title]", "银发理发日")
    page.select_option("select[name=field]", index=1)
    _offering_fields(page)
    submit(page, button_in(page, f"{MAIN}:has(input[name=title])"), name="offering")
    offering = ServiceOffering.objects.get(title="银发理发日")
    assert offering.contact_phone == "13912345678"


@recipe(ORG_RECIPES, "catalogue:my-offering-update", "admin_a")
def withdraw_edit_and_resubmit_a_service(page, world):
    """A published offering is read-only: withdraw it, change it, submit it again."""
    open_form(page, world, "catalogue:my-offering-update")
    submit(page, button_in(page, "form[action$='/withdraw/']"), name="my-offering-withdraw")
    open_form(page, world, "catalogue:my-offering-update")
    _offering_fields(page)
    submit(page, button_in(page, f"{MAIN}:has(input[name=title])"), name="offering")
    open_form(page, world, "catalogue:my-offering-update")
    submit(page, button_in(page, "form[action$='/submit/']"), name="my-offering-submit")
    offering = ServiceOffering.objects.get(pk=world.kwargs["offering"])
    assert offering.summary == "为社区老人提供上门理发服务"
    assert offering.status == ServiceOffering.Status.SUBMITTED


@recipe(ORG_RECIPES, "events:participant-create", "admin_a")
def add_a_participant(page, world):
    open_form(page, world, "events:participant-create")
    page.fill("input[name=name]", "李秀英")
    page.fill("input[name=mobile]", "１３８００１３８０００")
    submit(page, button_in(page, MAIN), name="events:participant-create")
    assert Participant.objects.get(name="李秀英").mobile == "13800138000"


@recipe(ORG_RECIPES, "events:participant-update", "admin_a")
def edit_a_participant(page, world):
    open_form(page, world, "events:participant-update")
    page.fill("input[name=name]", "王建国")
    submit(page, button_in(page, MAIN), name="events:participant-update")
    assert Participant.objects.get(pk=world.kwargs["participant"]).name == "王建国"


@recipe(ORG_RECIPES, "events:registration-create", "admin_a")
def register_for_an_event(page, world):
    open_form(page, world, "events:registration-create")
    boxes = page.locator("input[name=participants]:not(:disabled)")
    assert boxes.count() >= 1, "no participant to register"
    boxes.first.check()
    submit(page, button_in(page, MAIN), name="events:registration-create")
    assert Registration.objects.filter(event__slug=world.kwargs["event"]).count() >= 2


@recipe(ORG_RECIPES, "events:registration-cancel", "admin_a", order=60)
def cancel_a_registration(page, world):
    open_form(page, world, "events:registration-cancel")
    submit(page, button_in(page, MAIN), name="events:registration-cancel")
    registration = Registration.objects.get(pk=world.kwargs["registration"])
    assert registration.status == Registration.Status.CANCELLED


def _organisation_fields(page, name):
    page.fill("input[name=name]", name)
    page.fill("input[name=legal_representative]", "张伟")
    shows(page, "established_on", page.input_value("input[name=established_on]"))
    page.fill("input[name=established_on]", "2015-03-18")
    page.fill("input[name=contact_phone]", "０２１－６２５８８８８８")


@recipe(ORG_RECIPES, "federation:membership-apply", "member_a")
def apply_for_membership(page, world):
    open_form(page, world, "federation:membership-apply")
    _organisation_fields(page, "静安丙社区公益服务社")
    page.select_option("select[name=legal_form]", index=1)
    page.select_option("select[name=street]", index=1)
    submit(page, button_in(page, MAIN), name="federation:membership-apply")
    organisation = Organisation.objects.get(name="静安丙社区公益服务社")
    assert str(organisation.established_on) == "2015-03-18"
    assert organisation.contact_phone == "021-62588888"


@recipe(ORG_RECIPES, "federation:invitation-accept", "member_a", order=60)
def accept_an_invitation(page, world):
    # The invitation was sent to this person's address.
    user = world.users["member_a"]
    other = Organisation.objects.get(slug="org-b")
    Invitation.objects.filter(pk=world.kwargs["invitation"]).update(
        email=user.email, organisation=other
    )
    open_form(page, world, "federation:invitation-accept")
    submit(page, button_in(page, MAIN), name="federation:invitation-accept")


@recipe(ORG_RECIPES, "federation:my-profile", "admin_a")
def edit_the_profile(page, world):
    open_form(page, world, "federation:my-profile")
    _organisation_fields(page, "静安甲社会组织服务中心")
    submit(page, button_in(page, MAIN), name="federation:my-profile")
    success(page)
    organisation = Organisation.objects.get(slug=world.kwargs["org_slug"])
    assert str(organisation.established_on) == "2015-03-18"
    # The saved date shows again, not blanked, when the profile is opened next.
    open_form(page, world, "federation:my-profile")
    shows(page, "established_on", "2015-03-18")


@recipe(ORG_RECIPES, "federation:my-inspection-submit", "admin_a")
def submit_the_annual_inspection(page, world):
    # Last year's report (this year's is offered once the year is over).
    last_year = reverse("federation:my-inspection-submit", args=[world.kwargs["year"] - 1])
    open_form(page, world, "federation:my-inspection-submit", last_year)
    submit(page, button_in(page, MAIN), name="federation:my-inspection-submit")
    success(page)


@recipe(ORG_RECIPES, "federation:my-invitation-create", "admin_a")
def invite_a_colleague(page, world):
    open_form(page, world, "federation:my-invitation-create")
    page.fill("input[name=email]", "xiaoli@example.com")
    submit(page, button_in(page, MAIN), name="federation:my-invitation-create")
    assert Invitation.objects.filter(email="xiaoli@example.com").exists()


@recipe(ORG_RECIPES, "federation:my-invitation-revoke", "admin_a", order=60)
def revoke_an_invitation(page, world):
    open_form(page, world, "federation:my-invitation-revoke")
    submit(page, button_in(page, MAIN), name="federation:my-invitation-revoke")
    invitation = Invitation.objects.get(pk=world.kwargs["invitation"])
    assert invitation.status == Invitation.Status.REVOKED


@recipe(ORG_RECIPES, "federation:my-member-list", "admin_a")
def change_a_role(page, world):
    open_form(page, world, "federation:my-member-list")
    member = world.kwargs["member"]
    form = f"form[action$='/members/{member}/role/']"
    page.select_option(f"{form} select[name=role]", OrganisationMember.Role.ADMIN)
    submit(page, button_in(page, form), name="federation:my-member-role")
    success(page)
    assert OrganisationMember.objects.get(pk=member).role == OrganisationMember.Role.ADMIN


@recipe(ORG_RECIPES, "federation:my-member-remove", "admin_a", order=70)
def remove_a_member(page, world):
    open_form(page, world, "federation:my-member-remove")
    submit(page, button_in(page, MAIN), name="federation:my-member-remove")
    assert not OrganisationMember.objects.filter(pk=world.kwargs["member"]).exists()


@recipe(ORG_RECIPES, "federation:my-withdraw", "admin_a", order=99)
def leave_the_federation(page, world):
    open_form(page, world, "federation:my-withdraw")
    page.fill("textarea[name=reason]", "机构已完成注销清算。")
    submit(page, button_in(page, MAIN), name="federation:my-withdraw")
    success(page)


@recipe(ORG_RECIPES, "alliances:leave", "admin_a", order=80)
def leave_an_alliance(page, world):
    open_form(page, world, "alliances:leave")
    page.fill("textarea[name=reason]", "人手不足，暂时退出。")
    submit(page, button_in(page, MAIN), name="alliances:leave")
    membership = AllianceMembership.objects.get(pk=world.kwargs["membership"])
    assert membership.status != AllianceMembership.Status.PENDING


def _grant_fields(page):
    page.fill("input[name=title]", "社区老人助餐点改造")
    page.fill("textarea[name=description]", "为武定路助餐点添置保温餐车和无障碍扶手。")
    page.fill("input[name=beneficiary_name]", "张三明")
    page.fill("input[name=amount_requested]", "8000")
    page.fill("input[name=project_starts_on]", "2027-01-05")
    page.fill("input[name=project_ends_on]", "2027-06-30")


@recipe(ORG_RECIPES, "funds:my-grant-apply", "admin_a")
def apply_for_a_grant(page, world):
    open_form(page, world, "funds:my-grant-apply")
    _grant_fields(page)
    submit(page, button_in(page, MAIN), name="funds:my-grant-apply")
    grant = Grant.objects.get(title="社区老人助餐点改造")
    assert str(grant.project_starts_on) == "2027-01-05"


@recipe(ORG_RECIPES, "funds:my-grant-detail", "admin_a", order=60)
def withdraw_a_grant(page, world):
    open_form(page, world, "funds:my-grant-detail")
    form = "form[action$='/withdraw/']"
    page.check(f"{form} input[name=confirm]")
    submit(page, button_in(page, form), name="funds:my-grant-withdraw")
    assert Grant.objects.get(pk=world.kwargs["grant"]).status == Grant.Status.WITHDRAWN


def _event_fields(page, title):
    page.fill("input[name=title]", title)
    page.fill("input[name=starts_at]", "2027-03-12T09:30")
    page.fill("input[name=ends_at]", "2027-03-12T11:30")
    page.fill("input[name=venue_name]", "静安区社会组织服务中心三楼")


@recipe(ORG_RECIPES, "member_events:create", "admin_a")
def create_an_event(page, world):
    open_form(page, world, "member_events:create")
    _event_fields(page, "社区插花体验课")
    submit(page, button_in(page, MAIN), name="member_events:create")
    event = Event.objects.get(title="社区插花体验课")
    assert event.venue_name == "静安区社会组织服务中心三楼"


@recipe(ORG_RECIPES, "member_events:update", "admin_a")
def edit_an_event(page, world):
    open_form(page, world, "member_events:update")
    event = Event.objects.get(pk=world.kwargs["member_event"])
    starts = page.input_value("input[name=starts_at]")
    assert starts, "the start time was blanked"
    page.fill("input[name=title]", "社区插花体验课（第二期）")
    submit(page, button_in(page, MAIN), name="member_events:update")
    saved = Event.objects.get(pk=event.pk)
    assert saved.title == "社区插花体验课（第二期）"
    assert saved.starts_at == event.starts_at  # sent back as shown, not shifted


@recipe(ORG_RECIPES, "member_events:detail", "admin_a", order=60)
def submit_then_cancel_an_event(page, world):
    open_form(page, world, "member_events:detail")
    form = "form[action$='/submit/']"
    submit(page, button_in(page, form), name="member_events:submit")
    event = Event.objects.get(pk=world.kwargs["member_event"])
    assert event.review_state == Event.Review.SUBMITTED
    # The other draft, made above, is called off from its page.
    other = Event.objects.get(title="社区插花体验课")
    open_form(page, world, "member_events:detail", reverse("member_events:detail", args=[other.pk]))
    form = "form[action$='/cancel/']"
    page.fill(f"{form} input[name=reason]", "报名人数不足，活动取消。")
    submit(page, button_in(page, form), name="member_events:cancel")
    assert Event.objects.get(pk=other.pk).status == Event.Status.CANCELLED


@recipe(ORG_RECIPES, "volunteers:my-certificate-issue", "admin_a")
def issue_a_volunteer_certificate(page, world):
    # Yesterday the person served three hours at an event.
    served = in_days(-1, 9)
    RegistrationFactory(
        event=EventFactory(starts_at=served, title="社区义诊志愿服务"),
        participant=Participant.objects.get(pk=world.kwargs["participant"]),
        status=Registration.Status.ATTENDED,
        checked_in_at=served,
        hours=Decimal("3.00"),
    )
    open_form(page, world, "volunteers:my-certificate-issue")
    shows(page, "period_from", f"{world.kwargs['year']}-01-01")
    page.fill("input[name=period_from]", f"{served.year}-01-01")
    page.fill("input[name=person_in_charge]", "张伟")
    page.fill("input[name=handler]", "李娜")
    page.fill("input[name=contact]", "０２１－６２５８８８８８")
    submit(page, button_in(page, MAIN), name="volunteers:my-certificate-issue")
    certificate = ServiceCertificate.objects.get(person_in_charge="张伟")
    assert page.url.endswith(f"/{certificate.number}.pdf") or certificate.number in page.url


@recipe(ORG_RECIPES, "volunteers:request", "anonymous")
def request_a_certificate(page, world):
    open_form(page, world, "volunteers:request")
    page.fill("input[name=mobile]", "１３９００００００００")
    submit(page, button_in(page, MAIN), name="volunteers:request")
    assert "/volunteers/certificate/" in page.url
    assert url_for("volunteers:request", world) != page.url.removeprefix(page.base_url)
