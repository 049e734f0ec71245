"""Recipes for forms a page shows only in some state: its set-up makes that state.

A street hub's pages (its staff are no role of the permission walk), an event
that takes visitors' sign-ups, an event or a hub's event awaiting review, a
grant paid out. Each recipe's ``setup(world)`` makes the state and returns the
page's path; the form discovery opens that page too, so its form is checked
(ISO dates, a form is there) even without a browser.
"""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services import hub_events
from federation.models import Organisation, StreetHub
from funds import services as fund_services
from funds.models import Fund, Grant
from funds.roles import FUND_MANAGERS
from tests.browser.forms_kit import button_in, open_form, recipe, shows, submit, success
from tests.events.factories import EventFactory, in_days
from tests.federation.factories import StaffFactory
from tests.funds.factories import grant_under_review

MORE_RECIPES: dict = {}
MAIN = "main form[method=post]"


def _hub(world) -> StreetHub:
    return StreetHub.objects.get(street__code=world.kwargs["street_code"])


def _hub_draft(world, title: str) -> Event:
    starts = in_days(20, 14)
    return hub_events.hub_event_create(
        hub=_hub(world),
        acting_user=world.users["hub_staff"],
        kind=Event.Kind.OUTREACH,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


# A street hub's staff ----------------------------------------------------------------


@recipe(MORE_RECIPES, "streets:hub-profile", "hub_staff")
def edit_the_hub_profile(page, world):
    open_form(page, world, "streets:hub-profile")
    page.fill("input[name=contact_person]", "周老师")
    page.fill("input[name=contact_phone]", "０２１－６２５６００００")
    submit(page, button_in(page, MAIN), name="streets:hub-profile")
    hub = _hub(world)
    assert hub.contact_person == "周老师" and hub.contact_phone == "021-62560000"


@recipe(MORE_RECIPES, "streets:hub-event-create", "hub_staff")
def create_a_hub_event(page, world):
    open_form(page, world, "streets:hub-event-create")
    page.select_option("select[name=kind]", Event.Kind.OUTREACH)
    page.fill("input[name=title]", "邻里节便民服务")
    page.fill("input[name=starts_at]", "2027-05-16T09:00")
    page.fill("input[name=ends_at]", "2027-05-16T11:30")
    submit(page, button_in(page, MAIN), name="streets:hub-event-create")
    success(page)
    event = Event.objects.get(title="邻里节便民服务")
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:00"


def _hub_draft_update(world) -> str:
    event = _hub_draft(world, "街道志愿者培训")
    return reverse("streets:hub-event-update", args=[event.pk])


@recipe(MORE_RECIPES, "streets:hub-event-update", "hub_staff", setup=_hub_draft_update)
def edit_a_hub_event(page, world):
    path = _hub_draft_update(world)
    open_form(page, world, "streets:hub-event-update", path)
    event = Event.objects.get(title="街道志愿者培训", review_state=Event.Review.NONE)
    shows(page, "starts_at", timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=venue_name]", "街道社区文化活动中心")
    submit(page, button_in(page, MAIN), name="streets:hub-event-update")
    saved = Event.objects.get(pk=event.pk)
    assert saved.venue_name == "街道社区文化活动中心" and saved.starts_at == event.starts_at


def _hub_list_with_a_draft(world) -> str:
    _hub_draft(world, "街道邻里节")
    return reverse("streets:hub-event-list")


@recipe(MORE_RECIPES, "streets:hub-event-list", "hub_staff", 60, _hub_list_with_a_draft)
def submit_a_hub_event(page, world):
    open_form(page, world, "streets:hub-event-list", _hub_list_with_a_draft(world))
    event = Event.objects.filter(title="街道邻里节").latest("pk")
    form = f"form[action$='/events/{event.pk}/submit/']"
    submit(page, button_in(page, form), name="streets:hub-event-submit")
    success(page)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED or event.review_state == Event.Review.SUBMITTED


# Federation staff: a hub's and a member's event awaiting review -----------------------


def _hub_event_for_review(world, title: str) -> Event:
    StreetHub.objects.filter(pk=_hub(world).pk).update(events_need_approval=True)
    event = _hub_draft(world, title)
    return hub_events.hub_event_submit(event=event, acting_user=world.users["hub_staff"])


def _review_with_a_hub_event(world) -> str:
    _hub_event_for_review(world, "街道公益集市")
    return reverse("streets:review")


@recipe(MORE_RECIPES, "streets:review", "federation_staff", setup=_review_with_a_hub_event)
def approve_a_hub_event(page, world):
    open_form(page, world, "streets:review", _review_with_a_hub_event(world))
    event = Event.objects.filter(title="街道公益集市").latest("pk")
    form = f"form[action$='/{event.pk}/approve/']"
    submit(page, button_in(page, form), name="streets:review-approve")
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


def _hub_event_to_return(world) -> str:
    event = _hub_event_for_review(world, "街道亲子运动会")
    return reverse("streets:review-return", args=[event.pk])


@recipe(MORE_RECIPES, "streets:review-return", "federation_staff", setup=_hub_event_to_return)
def return_a_hub_event(page, world):
    open_form(page, world, "streets:review-return", _hub_event_to_return(world))
    page.fill("textarea[name=reason], input[name=reason]", "请补充活动地址和安全预案。")
    submit(page, button_in(page, MAIN), name="streets:review-return")
    event = Event.objects.filter(title="街道亲子运动会").latest("pk")
    assert event.review_state == Event.Review.RETURNED


def _member_event_for_review(world) -> str:
    Event.objects.filter(pk=world.kwargs["member_event"]).update(
        review_state=Event.Review.SUBMITTED, submitted_at=timezone.now()
    )
    return reverse("member_events:review", args=[world.kwargs["member_event"]])


@recipe(MORE_RECIPES, "member_events:review", "federation_staff", setup=_member_event_for_review)
def publish_a_member_event(page, world):
    open_form(page, world, "member_events:review", _member_event_for_review(world))
    submit(page, page.locator(f"{MAIN} button[name=publish]").first, name="member_events:review")
    assert Event.objects.get(pk=world.kwargs["member_event"]).status == Event.Status.PUBLISHED


# A visitor signs up for an open event, then cancels --------------------------------


def _open_event(world) -> str:
    event = EventFactory(
        slug="open-day",
        title="社区开放日",
        visitor_signup=True,
        organisation_id=None,
        alliance=None,
    )
    return reverse("events:visitor-signup", args=[event.slug])


@recipe(MORE_RECIPES, "events:visitor-signup", "anonymous", setup=_open_event)
def sign_up_then_cancel(page, world):
    open_form(page, world, "events:visitor-signup", _open_event(world))
    page.fill("input[name=name]", "刘阿姨")
    page.fill("input[name=mobile]", "１３６１１１１２２２２")
    page.check("input[name=consent]")
    submit(page, button_in(page, MAIN), name="events:visitor-signup")
    registration = Registration.objects.get(name="刘阿姨")
    assert registration.mobile == "13611112222"
    assert page.url.endswith(reverse("events:ticket", args=[registration.token])), page.url
    # The e-ticket links to the cancellation page, which asks before cancelling.
    with page.expect_navigation():
        page.locator(
            f"a[href$='{reverse('events:ticket-cancel', args=[registration.token])}']"
        ).click()
    submit(page, button_in(page, MAIN), name="events:ticket-cancel")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


# An organisation reports on a grant that was paid out --------------------------------


def _paid_grant(world) -> str:
    fund = Fund.objects.get(code=world.kwargs["fund"])
    organisation = Organisation.objects.get(slug=world.kwargs["org_slug"])
    users = world.users
    grant = grant_under_review(
        fund, users["admin_a"], organisation, users["fund_manager"], title="社工督导进修"
    )
    colleague = StaffFactory()
    colleague.groups.add(Group.objects.get_or_create(name=FUND_MANAGERS)[0])
    for approver in (world.users["fund_manager"], colleague):
        fund_services.grant_approve(grant=grant, acting_user=approver)
    fund_services.grant_pay(
        grant=grant, paid_on=timezone.localdate(), acting_user=world.users["fund_manager"]
    )
    return reverse("funds:my-grant-detail", args=[grant.pk])


@recipe(MORE_RECIPES, "funds:my-grant-detail (paid)", "admin_a", 40, _paid_grant)
def report_on_a_paid_grant(page, world):
    open_form(page, world, "funds:my-grant-detail", _paid_grant(world))
    form = "form[action$='/report/']"
    page.fill(f"{form} textarea[name=text]", "进修已完成，取得社会工作者职业资格证书。")
    submit(page, button_in(page, form), name="funds:my-grant-report")
    grant = Grant.objects.filter(title="社工督导进修").latest("pk")
    assert grant.report_text == "进修已完成，取得社会工作者职业资格证书。"


# The admin's most used add forms ----------------------------------------------------


def _organisation_add(world) -> str:
    return reverse("admin:federation_organisation_add")


@recipe(MORE_RECIPES, "admin:federation_organisation_add", "superuser", setup=_organisation_add)
def add_an_organisation_in_the_admin(page, world):
    open_form(page, world, "admin:federation_organisation_add", _organisation_add(world))
    page.fill("input[name=name]", "静安丁社区养老服务中心")
    page.select_option("select[name=legal_form]", index=1)
    page.select_option("select[name=street]", index=1)
    page.fill("input[name=established_on]", "2016-09-01")
    page.fill("input[name=contact_phone]", "１３９１１１１２２２２")
    submit(page, page.locator("input[name=_save]"), name="admin organisation add")
    assert page.locator(".messagelist .success").count() == 1, page.url
    organisation = Organisation.objects.get(name="静安丁社区养老服务中心")
    assert str(organisation.established_on) == "2016-09-01"
    assert organisation.contact_phone == "13911112222"


def _event_add(world) -> str:
    return reverse("admin:events_event_add")


@recipe(MORE_RECIPES, "admin:events_event_add", "superuser", setup=_event_add)
def add_an_event_in_the_admin(page, world):
    open_form(page, world, "admin:events_event_add", _event_add(world))
    page.select_option("select[name=kind]", Event.Kind.TRAINING)
    page.fill("input[name=title]", "社会组织财务人员培训")
    # The start as a person picks it, with the admin's 今天 and 现在 shortcuts; the end
    # typed: the next day, in the format the shortcut wrote, at the same time.
    row = page.locator("input[name=starts_at_0]").locator("xpath=ancestor::p[1]")
    row.get_by_text("今天").click()
    row.get_by_text("现在").click()
    day = page.input_value("input[name=starts_at_0]")
    separator = "/" if "/" in day else "-"
    start = datetime.date(*map(int, day.split(separator)))
    end = start + datetime.timedelta(days=1)
    page.fill("input[name=ends_at_0]", end.strftime(f"%Y{separator}%m{separator}%d"))
    page.fill("input[name=ends_at_1]", page.input_value("input[name=starts_at_1]"))
    submit(page, page.locator("input[name=_save]"), name="admin event add")
    assert page.locator(".messagelist .success").count() == 1, page.url
    event = Event.objects.get(title="社会组织财务人员培训")
    assert timezone.localtime(event.starts_at).date() == start
    assert event.ends_at - event.starts_at == datetime.timedelta(days=1)
