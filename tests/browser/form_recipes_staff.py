"""Recipes for the forms the federation's and the fund's people fill in.

The alliance secretary, federation staff and the fund manager: each recipe
types what a person would type, leaves optional fields and extra rows
untouched, and clicks the button on a phone.
"""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from alliances.models import AllianceMembership
from caravan.models import Caravan, ServiceRecord
from events.models import Event, Registration
from funds.models import (
    AcknowledgementLetter,
    BankImport,
    CharityPerformance,
    CharitySale,
    ClosedPeriod,
    Donation,
    Fund,
    Grant,
    JournalEntry,
    Pledge,
)
from tests.browser.forms_kit import button_in, open_form, recipe, shows, submit, success
from tests.caravan.factories import series_with_plan

STAFF_RECIPES: dict = {}
MAIN = "main form[method=post]"


# The alliance secretary ------------------------------------------------------------


@recipe(STAFF_RECIPES, "alliances:manage", "secretary")
def decide_a_membership(page, world):
    open_form(page, world, "alliances:manage")
    form = "form[action$='/decide/']"
    page.fill(f"{form} textarea[name=reason]", "材料齐全，同意加入。")
    submit(page, page.locator(f"{form} button[value=approve]").first, name=form)
    membership = AllianceMembership.objects.get(pk=world.kwargs["membership"])
    assert membership.status == AllianceMembership.Status.ACTIVE


@recipe(STAFF_RECIPES, "events:check-in", "secretary")
def check_someone_in(page, world):
    # The event is under way (check-in opens two hours before the start).
    starts = (timezone.now() - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
    event = Event.objects.filter(slug=world.kwargs["event"])
    event.update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    open_form(page, world, "events:check-in")
    registration = Registration.objects.get(pk=world.kwargs["registration"])
    page.fill("input[name=q]", registration.participant.name)
    submit(page, button_in(page, MAIN), name="events:check-in search")
    # The search lists the person with a check-in button.
    submit(page, page.locator("form:has(input[name=registration]) button").first, name="check in")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED


@recipe(STAFF_RECIPES, "events:mark-no-shows", "secretary", order=60)
def mark_no_shows(page, world):
    open_form(page, world, "events:mark-no-shows")
    submit(page, button_in(page, MAIN), name="events:mark-no-shows")


def _event_fields(page, title):
    page.fill("input[name=title]", title)
    page.fill("input[name=starts_at]", "2027-04-08T14:00")
    page.fill("input[name=ends_at]", "2027-04-08T16:30")
    page.fill("input[name=venue_name]", "静安区社会组织服务中心二楼")


@recipe(STAFF_RECIPES, "events:secretary-event-create", "secretary")
def create_an_alliance_event(page, world):
    open_form(page, world, "events:secretary-event-create")
    _event_fields(page, "为老服务联盟季度交流会")
    submit(page, button_in(page, MAIN), name="events:secretary-event-create")
    event = Event.objects.get(title="为老服务联盟季度交流会")
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M") == "2027-04-08T14:00"


@recipe(STAFF_RECIPES, "events:secretary-event-update", "secretary", order=70)
def edit_then_cancel_an_alliance_event(page, world):
    # An alliance runs trainings and team building (the factory's event is of another kind).
    Event.objects.filter(pk=world.kwargs["event_pk"]).update(kind=Event.Kind.TRAINING)
    open_form(page, world, "events:secretary-event-update")
    event = Event.objects.get(pk=world.kwargs["event_pk"])
    shows(page, "starts_at", timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=summary]", "请各成员单位派一人参加")
    submit(page, button_in(page, "form:has(input[name=title])"), name="secretary-event-update")
    saved = Event.objects.get(pk=event.pk)
    assert saved.summary == "请各成员单位派一人参加", saved.summary
    assert saved.starts_at == event.starts_at, (saved.starts_at, event.starts_at)
    open_form(page, world, "events:secretary-event-update")
    form = "form[action$='/cancel/']"
    page.fill(f"{form} input[name=reason]", "场地临时检修，活动取消。")
    submit(page, button_in(page, form), name="secretary-event-cancel")
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


# Federation staff ------------------------------------------------------------------


def _with_a_series(world) -> str:
    series_with_plan()  # set up once in the admin (without one the page says so, no form)
    return reverse("caravan:manage")


@recipe(STAFF_RECIPES, "caravan:manage", "federation_staff", setup=_with_a_series)
def generate_caravans(page, world):
    open_form(page, world, "caravan:manage", _with_a_series(world))
    shows(page, "first_month", page.input_value("input[name=first_month]"))
    assert page.input_value("input[name=first_month]")  # the default month shows
    page.select_option("select[name=series]", index=1)
    submit(page, button_in(page, "form[action$='/generate/']"), name="caravan:generate")
    assert Caravan.objects.exists()


def _history_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "服务", "人数", "组织", "营业额", "备注"])
    sheet.append(["２００９－０６－２０", "blood-pressure", "３５", "", "", "首期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@recipe(STAFF_RECIPES, "caravan:totals", "federation_staff")
def import_caravan_history(page, world):
    open_form(page, world, "caravan:totals")
    form = "form[action$='/import/']"
    page.set_input_files(
        f"{form} input[name=file]",
        files=[
            {
                "name": "历年记录.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _history_workbook(),
            }
        ],
    )
    submit(page, button_in(page, form), name="caravan:history-import")
    assert ServiceRecord.objects.filter(people_served=35).exists()


@recipe(STAFF_RECIPES, "catalogue:review-detail", "federation_staff")
def review_a_service(page, world):
    open_form(page, world, "catalogue:review-detail")
    page.fill("input[name=audience]", "辖区六十岁以上老人")
    submit(page, page.locator("main form button[value=save]").first, name="review")


# The fund manager ------------------------------------------------------------------


def _today():
    return timezone.localdate().isoformat()


@recipe(STAFF_RECIPES, "funds:entry-create", "fund_manager")
def post_a_manual_entry(page, world):
    open_form(page, world, "funds:entry-create")
    shows(page, "entry_on", _today())
    page.fill("input[name=description]", "银行手续费")
    accounts = {
        a.role: str(a.pk) for a in Fund.objects.get(code=world.kwargs["fund"]).accounts.all()
    }
    page.select_option("select[name=lines-0-account]", accounts["fee_expense"])
    page.fill("input[name=lines-0-amount]", "12.50")
    page.select_option("select[name=lines-1-account]", accounts["cash"])
    page.select_option("select[name=lines-1-side]", "credit")
    page.fill("input[name=lines-1-amount]", "12.50")
    submit(page, button_in(page, MAIN), name="funds:entry-create")  # rows 2-5 untouched
    assert JournalEntry.objects.filter(description="银行手续费").exists()


@recipe(STAFF_RECIPES, "funds:donation-create", "fund_manager")
def record_a_donation(page, world):
    open_form(page, world, "funds:donation-create")
    shows(page, "received_on", _today())
    page.select_option("select[name=donor_type]", "individual")
    page.fill("input[name=donor_name]", "孙丽华")
    page.fill("input[name=amount]", "200")
    submit(page, button_in(page, MAIN), name="funds:donation-create")
    donation = Donation.objects.get(donor__name="孙丽华")
    assert donation.amount == Decimal("200") and donation.received_on == timezone.localdate()


@recipe(STAFF_RECIPES, "funds:donation-list", "fund_manager")
def issue_a_thank_you_letter(page, world):
    open_form(page, world, "funds:donation-list")
    form = f"form[action$='/letters/donation/{world.kwargs['donation']}/']"
    submit(page, button_in(page, form), name="funds:letter-issue")
    assert AcknowledgementLetter.objects.exists()


@recipe(STAFF_RECIPES, "funds:donation-receipt", "fund_manager")
def record_a_receipt(page, world):
    open_form(page, world, "funds:donation-receipt")
    page.select_option("select[name=receipt_status]", index=1)
    page.fill("input[name=receipt_number]", "沪财２０２６－０００１")
    page.fill("input[name=receipt_issued_on]", _today())
    submit(page, button_in(page, MAIN), name="funds:donation-receipt")
    assert Donation.objects.get(pk=world.kwargs["donation"]).receipt_number


@recipe(STAFF_RECIPES, "funds:charity-sale-create", "fund_manager")
def record_a_charity_sale(page, world):
    open_form(page, world, "funds:charity-sale-create")
    page.select_option("select[name=donor_type]", "company")
    page.fill("input[name=donor_name]", "静安某某咖啡有限公司")
    page.fill("input[name=title]", "爱心咖啡义卖")
    page.fill("input[name=starts_on]", "2026-11-01")
    page.fill("input[name=ends_on]", "2026-11-07")
    page.fill("input[name=turnover]", "3600")
    page.fill("input[name=share_percent]", "20")
    submit(page, button_in(page, MAIN), name="charity-sale preview")
    submit(page, button_in(page, MAIN), name="charity-sale confirm")
    assert CharitySale.objects.get().proceeds == Decimal("720.00")


@recipe(STAFF_RECIPES, "funds:performance-create", "fund_manager")
def record_a_performance(page, world):
    open_form(page, world, "funds:performance-create")
    page.fill("input[name=title]", "迎新春公益演出")
    page.fill("input[name=performed_on]", "2026-11-20")
    page.fill("input[name=ticket_income]", "1500")
    submit(page, button_in(page, MAIN), name="funds:performance-create")
    assert CharityPerformance.objects.get().title == "迎新春公益演出"


@recipe(STAFF_RECIPES, "funds:pledge-create", "fund_manager")
def record_a_pledge(page, world):
    open_form(page, world, "funds:pledge-create")
    page.select_option("select[name=donor_type]", "individual")
    page.fill("input[name=donor_name]", "赵女士")
    page.fill("input[name=description]", "每月定额捐赠")
    page.fill("input[name=expected_amount]", "100")
    page.fill("input[name=starts_on]", "2027-01-01")
    submit(page, button_in(page, MAIN), name="funds:pledge-create")
    assert Pledge.objects.filter(description="每月定额捐赠").exists()


@recipe(STAFF_RECIPES, "funds:instalment-receive", "fund_manager")
def receive_an_instalment(page, world):
    open_form(page, world, "funds:instalment-receive")
    shows(page, "received_on", _today())
    submit(page, button_in(page, MAIN), name="funds:instalment-receive")
    success(page)


@recipe(STAFF_RECIPES, "funds:grant-enter", "fund_manager")
def enter_a_grant(page, world):
    open_form(page, world, "funds:grant-enter")
    page.fill("input[name=title]", "街道助老食堂设备")
    page.fill("textarea[name=description]", "购置保温餐车两台。")
    page.fill("input[name=beneficiary_name]", "李建华")
    page.fill("input[name=amount_requested]", "5000")
    page.fill("input[name=project_starts_on]", "2027-01-05")
    page.fill("input[name=project_ends_on]", "2027-06-30")
    page.select_option("select[name=organisation]", index=1)
    submit(page, button_in(page, MAIN), name="funds:grant-enter")
    assert Grant.objects.filter(title="街道助老食堂设备").exists()


@recipe(STAFF_RECIPES, "funds:grant-detail", "fund_manager")
def review_then_approve_a_grant(page, world):
    open_form(page, world, "funds:grant-detail")
    form = "form[action$='/review/']"
    shows(page, "report_due_on", page.input_value(f"{form} input[name=report_due_on]"))
    page.fill(f"{form} textarea[name=note]", "预算合理。")
    submit(page, button_in(page, form), name="funds:grant-review")
    open_form(page, world, "funds:grant-detail")
    approve = "form[action$='/approve/']"
    if page.locator(approve).count():
        submit(page, button_in(page, approve), name="funds:grant-approve")


@recipe(STAFF_RECIPES, "funds:entry-detail", "fund_manager", order=60)
def reverse_an_entry(page, world):
    open_form(page, world, "funds:entry-detail")
    form = "form[action$='/reverse/']"
    page.fill(f"{form} textarea[name=reason]", "金额录错，冲销。")
    submit(page, button_in(page, form), name="funds:entry-reverse")
    assert JournalEntry.objects.filter(reverses__number=world.kwargs["number"]).exists()


@recipe(STAFF_RECIPES, "funds:entry-reverse", "fund_manager", order=55)
def reverse_the_manual_entry(page, world):
    """The reversal page, for the manual entry posted above (the detail page's form is next)."""
    entry = JournalEntry.objects.get(description="银行手续费")
    open_form(page, world, "funds:entry-reverse", entry_path(world, entry, "funds:entry-reverse"))
    page.fill("textarea[name=reason]", "重复入账，冲销。")
    submit(page, button_in(page, MAIN), name="funds:entry-reverse page")
    assert JournalEntry.objects.filter(reverses=entry).exists()


def entry_path(world, entry, name):
    return reverse(name, kwargs={"fund": world.kwargs["fund"], "number": entry.number})


@recipe(STAFF_RECIPES, "funds:bank-import", "fund_manager")
def import_a_bank_statement(page, world):
    open_form(page, world, "funds:bank-import")
    # The bank's line for the donation already recorded by hand (王小明, 1000.00).
    donation = Donation.objects.get(pk=world.kwargs["donation"])
    statement = (
        "日期,流水号,金额,付款人,摘要\n"
        f"{donation.received_on.isoformat()},Z-1,{donation.amount},{donation.donor.name},捐赠\n"
    ).encode("gb18030")
    page.set_input_files(
        "input[name=statement]",
        files=[{"name": "对账单.csv", "mimeType": "text/csv", "buffer": statement}],
    )
    submit(page, button_in(page, MAIN), name="funds:bank-import")
    assert BankImport.objects.exists()


@recipe(STAFF_RECIPES, "funds:periods", "fund_manager", order=90)
def close_last_year(page, world):
    open_form(page, world, "funds:periods")
    year = timezone.localdate().year - 1
    shows(page, "year", str(year))
    page.check("input[name=confirm]")
    submit(page, button_in(page, MAIN), name="funds:periods")
    assert ClosedPeriod.objects.filter(year=year).exists()
