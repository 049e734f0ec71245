"""Recipes for pages behind an object the permission walk's world does not have.

A caravan's booths (apply, record, decide, publish, cancel), a street hub's
booth record and recommendation, festival nominations and the walk-in counter,
a member event's per-registration check-in and hours, a volunteer request to
confirm. Each set-up makes the object and returns the page's path; the form
discovery opens it, and ``SETUP_ONLY`` in test_every_form.py checks that every
such URL name is covered by a set-up here (or listed with a reason).
"""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance, AllianceMembership
from caravan.models import BoothApplication, Caravan, ServiceRecord
from events.models import Event, Registration
from federation.models import Organisation, Street
from festival.models import Nomination, WalkInCount
from funds.models import JournalEntry
from funds.money import charity_sale_proceeds
from tests.browser.forms_kit import button_in, open_form, recipe, shows, submit, success
from tests.caravan.factories import (
    caravan_on,
    hosted,
    in_days,
    kind,
    qualified,
    record,
    slot_for,
)
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.events.factories import in_days as events_in_days
from tests.federation.factories import OrganisationFactory
from tests.festival.factories import activity_of, festival_event, honour_round
from volunteers import services as volunteer_services
from volunteers import verification
from volunteers.models import CertificateRequest, ServiceCertificate

PK_RECIPES: dict = {}
MAIN = "main form[method=post]"


def _org_a(world) -> Organisation:
    return Organisation.objects.get(slug=world.kwargs["org_slug"])


# A caravan's booths ------------------------------------------------------------------


def _caravan_with_applications(world) -> str:
    """A draft caravan to publish and a published one with two applications to decide."""
    caravan_on(in_days(40), title="大篷车草稿日", status=Event.Status.DRAFT)
    caravan = caravan_on(in_days(20), title="大篷车待定日")
    for position, name in ((1, "钱护士"), (2, "孙护士")):
        slot = slot_for(caravan, position=position)
        person = qualified(_org_a(world), name=name)
        application = hosted(slot, _org_a(world), status=BoothApplication.Status.PENDING)
        application.people.set([person])
    return reverse("caravan:manage")


@recipe(PK_RECIPES, "caravan:manage (booths)", "federation_staff", setup=_caravan_with_applications)
def decide_booths_and_publish(page, world):
    open_form(page, world, "caravan:manage", _caravan_with_applications(world))
    pending = BoothApplication.objects.filter(
        slot__caravan__event__title="大篷车待定日", status=BoothApplication.Status.PENDING
    ).order_by("slot__position")
    confirm, decline = list(pending)[-2:]
    form = f"form[action$='/applications/{confirm.pk}/confirm/']"
    submit(page, button_in(page, form), name="caravan:decide confirm")
    form = f"form[action$='/applications/{decline.pk}/decline/']"
    page.fill(f"{form} input[name=reason]", "该展位已安排其他服务，谢谢支持。")
    submit(page, button_in(page, form), name="caravan:decide decline")
    confirm.refresh_from_db()
    decline.refresh_from_db()
    assert confirm.status == BoothApplication.Status.CONFIRMED, confirm.status
    assert decline.status == BoothApplication.Status.DECLINED, decline.status
    draft = Caravan.objects.filter(event__title="大篷车草稿日").latest("pk")
    submit(page, button_in(page, f"form[action$='/manage/{draft.pk}/publish/']"), name="publish")
    draft.event.refresh_from_db()
    assert draft.event.status == Event.Status.PUBLISHED, draft.event.status


def _caravan_to_cancel(world) -> str:
    caravan = caravan_on(in_days(30), title="大篷车取消日")
    return reverse("caravan:cancel", args=[caravan.pk])


@recipe(PK_RECIPES, "caravan:cancel", "federation_staff", 70, _caravan_to_cancel)
def cancel_a_caravan_day(page, world):
    open_form(page, world, "caravan:cancel", _caravan_to_cancel(world))
    page.fill("[name=reason]", "当日有暴雨预警，活动取消。")
    submit(page, button_in(page, MAIN), name="caravan:cancel")
    caravan = Caravan.objects.filter(event__title="大篷车取消日").latest("pk")
    assert caravan.event.status == Event.Status.CANCELLED, caravan.event.status


def _open_slot(world) -> str:
    caravan = caravan_on(in_days(25), title="大篷车报名日")
    qualified(_org_a(world), name="周护士")
    return reverse("caravan:my-apply", args=[slot_for(caravan).pk])


@recipe(PK_RECIPES, "caravan:my-apply", "admin_a", setup=_open_slot)
def apply_for_a_booth(page, world):
    open_form(page, world, "caravan:my-apply", _open_slot(world))
    page.locator("label", has_text="周护士").last.click()
    submit(page, button_in(page, MAIN), name="caravan:my-apply")
    success(page)
    application = BoothApplication.objects.get(slot__caravan__event__title="大篷车报名日")
    assert application.status == BoothApplication.Status.PENDING
    assert [p.name for p in application.people.all()] == ["周护士"]


def _booth_held(world) -> str:
    caravan = caravan_on(in_days(-3), title="大篷车已办日")
    application = hosted(slot_for(caravan), _org_a(world))
    return reverse("caravan:my-record", args=[application.pk])


@recipe(PK_RECIPES, "caravan:my-record", "admin_a", setup=_booth_held)
def record_people_served(page, world):
    open_form(page, world, "caravan:my-record", _booth_held(world))
    page.fill("input[name=people_served]", "42")
    page.fill("input[name=note]", "测量血压四十二人次")
    submit(page, button_in(page, MAIN), name="caravan:my-record")
    success(page)
    record = ServiceRecord.objects.get(application__slot__caravan__event__title="大篷车已办日")
    assert record.people_served == 42, record.people_served


def _booth_applied(world) -> str:
    caravan = caravan_on(in_days(35), title="大篷车撤回日")
    hosted(slot_for(caravan), _org_a(world), status=BoothApplication.Status.PENDING)
    return reverse("caravan:my-booth-list")


@recipe(PK_RECIPES, "caravan:my-booth-list", "admin_a", 60, _booth_applied)
def withdraw_a_booth(page, world):
    open_form(page, world, "caravan:my-booth-list", _booth_applied(world))
    application = BoothApplication.objects.filter(
        slot__caravan__event__title="大篷车撤回日"
    ).latest("pk")
    form = f"form[action$='/booths/{application.pk}/withdraw/']"
    submit(page, button_in(page, form), name="caravan:my-withdraw")
    success(page)
    application.refresh_from_db()
    assert not application.is_live, application.status


def _sale_recorded(world) -> str:
    share = kind("brand-sale").default_share_percent
    record(
        "brand-sale",
        timezone.localdate(),  # this year's sales are listed
        60,
        _org_a(world),
        turnover=Decimal("1200.00"),
        share_percent=share,
        proceeds=charity_sale_proceeds(turnover=Decimal("1200.00"), share_percent=share),
    )
    return reverse("caravan:totals")


@recipe(PK_RECIPES, "caravan:totals (sale)", "superuser", setup=_sale_recorded)
def post_a_sales_proceeds(page, world):
    open_form(page, world, "caravan:totals", _sale_recorded(world))
    sale = ServiceRecord.objects.get(turnover=Decimal("1200.00"))
    form = f"form[action$='/records/{sale.pk}/post/']"
    shows(page, "received_on", timezone.localdate().isoformat())
    submit(page, button_in(page, form), name="caravan:post-proceeds")
    assert JournalEntry.objects.filter(submission_key=sale.posting_key).exists()


# The festival: a nomination, the walk-in counter --------------------------------------


def _open_round(world) -> str:
    found = honour_round(year=timezone.localdate().year)
    return reverse("festival:nomination-create", args=[found.pk])


@recipe(PK_RECIPES, "festival:nomination-create", "admin_a", setup=_open_round)
def nominate_a_person(page, world):
    open_form(page, world, "festival:nomination-create", _open_round(world))
    page.select_option("select[name=participant]", index=1)
    page.fill("textarea[name=reason]", "连续五年在社区开展助老服务，累计服务时长三百小时。")
    submit(page, button_in(page, MAIN), name="festival:nomination-create")
    success(page)
    assert Nomination.objects.filter(nominated_by_organisation=_org_a(world)).count() == 1


def _festival_activity(world) -> str:
    activity = activity_of(festival_event(), organisation=_org_a(world), slug="jingan-yiyuan")
    return reverse("festival:walk-in-counter", args=[activity.slug])


@recipe(PK_RECIPES, "festival:walk-in-counter", "admin_a", setup=_festival_activity)
def count_walk_ins(page, world):
    open_form(page, world, "festival:walk-in-counter", _festival_activity(world))
    for delta in ("5", "1", "-1"):
        submit(page, page.locator(f"{MAIN} button[value='{delta}']"), name=f"walk-in {delta}")
    assert WalkInCount.objects.get(activity__slug="jingan-yiyuan").count == 5


# A street hub's staff: a booth's record, an application's recommendation ---------------


def _street(world):
    return Street.objects.get(code=world.kwargs["street_code"])


def _booth_in_the_street(world) -> str:
    caravan = caravan_on(in_days(-2), title="街道大篷车已办日", street=_street(world))
    application = hosted(slot_for(caravan), _org_a(world))
    return reverse("streets:hub-booth-record", args=[application.pk])


@recipe(PK_RECIPES, "streets:hub-booth-record", "hub_staff", setup=_booth_in_the_street)
def record_a_booth_for_its_host(page, world):
    open_form(page, world, "streets:hub-booth-record", _booth_in_the_street(world))
    page.fill("input[name=people_served]", "30")
    submit(page, button_in(page, MAIN), name="streets:hub-booth-record")
    success(page)
    record = ServiceRecord.objects.get(application__slot__caravan__event__title="街道大篷车已办日")
    assert record.people_served == 30, record.people_served


def _application_in_the_street(world) -> str:
    applicant = OrganisationFactory(
        name="静安戊社区互助会", status=Organisation.Status.APPLIED, street=_street(world)
    )
    return reverse("streets:hub-recommend", args=[applicant.pk])


@recipe(PK_RECIPES, "streets:hub-recommend", "hub_staff", setup=_application_in_the_street)
def recommend_an_applicant(page, world):
    open_form(page, world, "streets:hub-recommend", _application_in_the_street(world))
    page.check("input[name=verdict][value=reservations]")
    page.fill("textarea[name=note]", "成立时间较短，建议先观察一年的活动记录。")
    submit(page, button_in(page, MAIN), name="streets:hub-recommend")
    success(page)
    applicant = Organisation.objects.get(name="静安戊社区互助会")
    assert applicant.hub_recommendation.verdict == "reservations"


def _street_event_under_way(world) -> str:
    starts = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=20)
    event = EventFactory(
        slug="street-fair",
        title="街道便民集市",
        street=_street(world),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    RegistrationFactory(
        event=event, participant=ParticipantFactory(organisation=_org_a(world), name="卫大爷")
    )
    return reverse("streets:hub-check-in", args=[event.slug])


@recipe(PK_RECIPES, "streets:hub-check-in", "hub_staff", setup=_street_event_under_way)
def check_in_at_a_street_event(page, world):
    open_form(page, world, "streets:hub-check-in", _street_event_under_way(world))
    page.fill("input[name=q]", "卫大爷")
    submit(page, button_in(page, "form[data-check-in-form]"), name="hub-check-in search")
    submit(page, page.locator("form:has(input[name=registration]) button").first, name="check in")
    registration = Registration.objects.get(event__slug="street-fair", name="卫大爷")
    assert registration.status == Registration.Status.ATTENDED, registration.status


# Attendance, per registration: check-in and hours on a member event, hours on the
# alliance's event ----------------------------------------------------------------------


def _attended(event, name: str, organisation) -> Registration:
    return RegistrationFactory(
        event=event,
        participant=ParticipantFactory(organisation=organisation, name=name),
        status=Registration.Status.ATTENDED,
        checked_in_at=event.starts_at,
        hours=event.length_hours,
    )


def _member_event_under_way(world) -> str:
    starts = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=30)
    event = EventFactory(
        organisation=_org_a(world),
        title="社区义剪服务",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    RegistrationFactory(
        event=event, participant=ParticipantFactory(organisation=_org_a(world), name="吴阿姨")
    )
    _attended(event, "郑师傅", _org_a(world))
    return reverse("member_events:detail", args=[event.pk])


@recipe(PK_RECIPES, "member_events:detail (attendance)", "admin_a", setup=_member_event_under_way)
def check_in_and_correct_hours(page, world):
    open_form(page, world, "member_events:detail", _member_event_under_way(world))
    event = Event.objects.filter(title="社区义剪服务").latest("pk")
    arriving = event.registrations.get(name="吴阿姨")
    form = f"form[action$='/registrations/{arriving.pk}/check-in/']"
    submit(page, button_in(page, form), name="member_events:check-in")
    success(page)
    arriving.refresh_from_db()
    assert arriving.status == Registration.Status.ATTENDED, arriving.status
    early = event.registrations.get(name="郑师傅")
    form = f"form[action$='/registrations/{early.pk}/hours/']"
    page.fill(f"{form} input[name=hours]", "1.5")
    page.fill(f"{form} input[name=note]", "提前半小时离开")
    submit(page, button_in(page, form), name="member_events:hours")
    success(page)
    early.refresh_from_db()
    assert early.hours == Decimal("1.50") and early.hours_corrected, early.hours


def _alliance_event_attended(world) -> str:
    event = Event.objects.get(slug=world.kwargs["event"])
    _attended(event, "冯老师", _org_a(world))
    return reverse("events:attendance", args=[event.slug])


@recipe(PK_RECIPES, "events:attendance (hours)", "secretary", setup=_alliance_event_attended)
def correct_hours_on_the_attendance_list(page, world):
    open_form(page, world, "events:attendance", _alliance_event_attended(world))
    registration = Registration.objects.filter(name="冯老师").latest("pk")
    form = f"form[action$='/attendance/{registration.pk}/hours/']"
    page.fill(f"{form} input[name=hours]", "2")
    page.fill(f"{form} input[name=note]", "迟到一小时")
    submit(page, button_in(page, form), name="events:hours-correct")
    success(page)
    registration.refresh_from_db()
    assert registration.hours == Decimal("2.00") and registration.hours_corrected


# The alliance secretary publishes a draft event from the list --------------------------


def _alliance_draft(world) -> str:
    EventFactory(
        alliance=Alliance.objects.get(code="elderly"),
        kind=Event.Kind.TRAINING,
        title="为老服务联盟理事会",
        status=Event.Status.DRAFT,
    )
    return reverse("events:secretary-event-list")


@recipe(PK_RECIPES, "events:secretary-event-list", "secretary", setup=_alliance_draft)
def publish_an_alliance_event(page, world):
    open_form(page, world, "events:secretary-event-list", _alliance_draft(world))
    event = Event.objects.filter(title="为老服务联盟理事会").latest("pk")
    submit(page, button_in(page, f"form[action$='/{event.pk}/publish/']"), name="publish")
    success(page)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED, event.status


def _active_member(world) -> str:
    membership = AllianceMembership.objects.create(
        organisation=OrganisationFactory(name="静安己为老服务社"),
        alliance=Alliance.objects.get(code="elderly"),
        status=AllianceMembership.Status.ACTIVE,
    )
    return reverse("alliances:membership-remove", args=["elderly", membership.pk])


@recipe(PK_RECIPES, "alliances:membership-remove", "secretary", 80, _active_member)
def remove_a_member(page, world):
    open_form(page, world, "alliances:membership-remove", _active_member(world))
    page.fill("[name=reason]", "连续两年未参加联盟活动，经理事会讨论同意移出。")
    submit(page, button_in(page, MAIN), name="alliances:membership-remove")
    success(page)
    membership = AllianceMembership.objects.filter(organisation__name="静安己为老服务社").latest(
        "pk"
    )
    assert membership.status != AllianceMembership.Status.ACTIVE, membership.status


# A volunteer confirms a certificate request with the texted code ------------------------


def _known_volunteer(world) -> str:
    """The page before: the code step has no object, only the session the request leaves."""
    ParticipantFactory(organisation=_org_a(world), name="韩志愿者", mobile="13955556666")
    return reverse("volunteers:request")


@recipe(PK_RECIPES, "volunteers:request-confirm", "anonymous", setup=_known_volunteer)
def confirm_a_certificate_request(page, world):
    open_form(page, world, "volunteers:request", _known_volunteer(world))
    verification.outbox.clear()
    page.fill("input[name=mobile]", "１３９５５５５６６６６")
    submit(page, button_in(page, MAIN), name="volunteers:request")
    assert page.url.endswith(reverse("volunteers:request-confirm")), page.url
    texted = verification.outbox[-1][1]
    page.fill("input[name=code]", re.search(r"\d{6}", texted).group())
    submit(page, button_in(page, MAIN), name="volunteers:request-confirm")
    assert page.url.endswith(reverse("volunteers:request-done")), page.url
    assert CertificateRequest.objects.filter(volunteer__mobile="13955556666").exists()


# Federation staff issue a certificate on a volunteer's page ------------------------------


def _volunteer_with_hours(world) -> str:
    served = events_in_days(-1, 9)
    person = ParticipantFactory(organisation=_org_a(world), name="蒋志愿者")
    RegistrationFactory(
        event=EventFactory(starts_at=served, title="社区义诊志愿服务（二）"),
        participant=person,
        status=Registration.Status.ATTENDED,
        checked_in_at=served,
        hours=Decimal("3.00"),
    )
    volunteer = volunteer_services.volunteer_get_or_create_for_participant(
        participant=person, acting_user=world.users["superuser"]
    )
    return reverse("volunteers:volunteer-detail", args=[volunteer.pk])


@recipe(PK_RECIPES, "volunteers:volunteer-detail", "federation_staff", setup=_volunteer_with_hours)
def issue_a_certificate_in_the_federations_name(page, world):
    open_form(page, world, "volunteers:volunteer-detail", _volunteer_with_hours(world))
    page.fill("input[name=period_from]", f"{events_in_days(-1, 9).year}-01-01")
    page.fill("input[name=person_in_charge]", "王主任")
    page.fill("input[name=handler]", "赵敏")
    page.fill("input[name=contact]", "０２１－６２５８８８８８")
    submit(page, button_in(page, MAIN), name="volunteers:volunteer-detail")
    certificate = ServiceCertificate.objects.get(person_in_charge="王主任")
    assert certificate.organisation is None and certificate.number in page.url, page.url
