"""Recipes for forms a page shows only in some state the permission walk's world lacks.

A draft offering with a photo (submit, add a photo, remove one), a person in two
organisations (the switch), a paid long-running grant during its project (a
quarter's progress), and an e-mail's unsubscribe link opened by a visitor.
"""

import datetime
import io
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalogue.models import ServiceOffering
from federation.models import Organisation
from funds import services as fund_services
from funds.models import Fund, Grant
from funds.roles import FUND_MANAGERS
from notifications.models import Unsubscription
from notifications.rendering import unsubscribe_url
from tests.browser.forms_kit import button_in, open_form, recipe, submit, success
from tests.catalogue.factories import OfferingFactory, image_upload
from tests.federation.factories import OrganisationFactory, OrganisationMemberFactory, StaffFactory
from tests.funds.factories import grant_under_review
from tests.notifications.factories import enqueue

STATE_RECIPES: dict = {}


def _org_a(world) -> Organisation:
    return Organisation.objects.get(slug=world.kwargs["org_slug"])


def _png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 36), "orange").save(buffer, format="PNG")
    return {"name": "义诊现场.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


# A draft offering with a photo: add a photo, remove one, submit it ----------------------


def _draft_offering_with_a_photo(world) -> str:
    offering = OfferingFactory(
        organisation=_org_a(world), title="社区义诊日", status=ServiceOffering.Status.DRAFT
    )
    offering.photos.create(image=image_upload(name="old.png"), caption="旧照片")
    return reverse("catalogue:my-offering-update", args=[offering.pk])


@recipe(
    STATE_RECIPES,
    "catalogue:my-offering-update (draft)",
    "admin_a",
    setup=_draft_offering_with_a_photo,
)
def add_and_remove_photos_then_submit(page, world):
    path = _draft_offering_with_a_photo(world)
    open_form(page, world, "catalogue:my-offering-update", path)
    offering = ServiceOffering.objects.filter(title="社区义诊日").latest("pk")
    adding = "form[action$='/photos/']"
    page.set_input_files(f"{adding} input[name=image]", files=[_png()])
    page.fill(f"{adding} input[name=caption]", "义诊现场")
    submit(page, button_in(page, adding), name="catalogue:my-photo-add")
    success(page)
    assert sorted(offering.photos.values_list("caption", flat=True)) == ["义诊现场", "旧照片"]
    old = offering.photos.get(caption="旧照片")
    submit(page, button_in(page, f"form[action$='/photos/{old.pk}/remove/']"), name="remove")
    success(page)
    assert list(offering.photos.values_list("caption", flat=True)) == ["义诊现场"]
    submit(page, button_in(page, "form[action$='/submit/']"), name="catalogue:my-offering-submit")
    success(page)
    offering.refresh_from_db()
    assert offering.status == ServiceOffering.Status.SUBMITTED, offering.status


# A person in two organisations switches between them ----------------------------------


def _second_organisation(world) -> str:
    other = OrganisationFactory(name="静安庚青年志愿者协会")
    OrganisationMemberFactory(organisation=other, user=world.users["member_a"])
    return reverse("federation:my-home")


@recipe(STATE_RECIPES, "federation:my-home (switch)", "member_a", 90, _second_organisation)
def switch_organisation_and_back(page, world):
    open_form(page, world, "federation:my-home", _second_organisation(world))
    other = Organisation.objects.filter(name="静安庚青年志愿者协会").latest("pk")
    form = "form[action$='/my/switch/']"
    page.select_option(f"{form} select[name=organisation]", str(other.pk))
    submit(page, button_in(page, form), name="federation:organisation-switch")
    assert page.locator("main h1").first.inner_text() == other.name
    page.select_option(f"{form} select[name=organisation]", str(_org_a(world).pk))
    submit(page, button_in(page, form), name="federation:organisation-switch back")
    assert page.locator("main h1").first.inner_text() == _org_a(world).name


# A paid long-running grant: a quarter's progress during the project ---------------------


def _paid_project_grant(world) -> str:
    today = timezone.localdate()
    users = world.users
    grant = grant_under_review(
        Fund.objects.get(code=world.kwargs["fund"]),
        users["admin_a"],
        _org_a(world),
        users["fund_manager"],
        title="社区长者助餐项目",
        starts_on=today - datetime.timedelta(days=120),
        ends_on=today + datetime.timedelta(days=200),
    )
    colleague = StaffFactory()
    colleague.groups.add(Group.objects.get_or_create(name=FUND_MANAGERS)[0])
    for approver in (users["fund_manager"], colleague):
        fund_services.grant_approve(grant=grant, acting_user=approver)
    fund_services.grant_pay(grant=grant, paid_on=today, acting_user=users["fund_manager"])
    return reverse("funds:my-grant-detail", args=[grant.pk])


@recipe(STATE_RECIPES, "funds:my-grant-detail (project)", "admin_a", 40, _paid_project_grant)
def report_a_quarters_progress(page, world):
    open_form(page, world, "funds:my-grant-detail", _paid_project_grant(world))
    form = "form[action$='/progress/']"
    page.select_option(f"{form} select[name=quarter_ends_on]", index=0)
    page.fill(f"{form} textarea[name=summary]", "本季度共开展助餐服务六十次，服务长者三百人次。")
    page.fill(f"{form} input[name=spent_amount]", "120.50")
    submit(page, button_in(page, form), name="funds:my-grant-progress")
    success(page)
    grant = Grant.objects.filter(title="社区长者助餐项目").latest("pk")
    report = grant.progress_reports.get()
    assert report.spent_amount == Decimal("120.50"), report.spent_amount
    assert report.summary.startswith("本季度共开展助餐服务"), report.summary


# A visitor opens an e-mail's unsubscribe link -----------------------------------------


def _unsubscribe_link(world) -> str:
    message = enqueue(recipient=world.users["member_a"], optional=True)
    return urlsplit(unsubscribe_url(message)).path


@recipe(STATE_RECIPES, "notifications:unsubscribe", "anonymous", setup=_unsubscribe_link)
def unsubscribe_from_the_mail(page, world):
    open_form(page, world, "notifications:unsubscribe", _unsubscribe_link(world))
    assert not Unsubscription.objects.exists()  # opening the link changes nothing
    submit(page, button_in(page, "main form[method=post]"), name="notifications:unsubscribe")
    assert page.locator("[data-state=done]").count() == 1, page.url
    unsubscription = Unsubscription.objects.get()
    assert unsubscription.recipient == world.users["member_a"], unsubscription.recipient
    assert unsubscription.kind == "event_starts", unsubscription.kind
