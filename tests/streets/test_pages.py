"""Public hub pages (no personal data), figures, and query counts at two data sizes."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.timezone import SHANGHAI
from events.models import Event, Registration
from events.selectors_hubs import street_event_figures
from federation.models import HubRecommendation, Organisation
from federation.services import hub_recommendation_record
from tests.events.factories import EventFactory, RegistrationFactory
from tests.federation.factories import OrganisationFactory, service_field

pytestmark = pytest.mark.django_db


def test_public_hub_page_shows_no_personal_data(client, side_a):
    registration = RegistrationFactory(event=side_a.street_event, name="王小明（虚构）")
    hub_recommendation_record(
        organisation=side_a.application,
        verdict="not_recommend",
        note="内部意见（测试）",
        acting_user=side_a.user,
    )
    page = client.get(reverse("streets:hub-detail", kwargs={"code": "310106006"}))
    text = page.content.decode()
    assert side_a.organisation.name in text  # the member is listed
    for private in (
        side_a.organisation.contact_person,
        side_a.organisation.contact_phone,
        side_a.organisation.masked_phone,
        side_a.user.email,
        side_a.user.name,
        registration.name,
        registration.mobile,
        side_a.application.name,  # an applicant is not a member yet
        "内部意见（测试）",
    ):
        assert private not in text


def test_public_hub_list_has_fourteen_hubs(client, side_a):
    response = client.get(reverse("streets:hub-list"))
    assert len(response.context["hubs"]) == 14
    counts = {hub.street.code: hub.organisation_count for hub in response.context["hubs"]}
    assert counts["310106006"] == 1  # the active member; the applicant does not count


def test_street_figures_count_what_was_held(side_a, side_b, clock):
    clock.set(datetime.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI))  # the held day is this year
    now = timezone.now()
    held = EventFactory(
        street=side_a.hub.street,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2) + datetime.timedelta(hours=3),
    )
    RegistrationFactory(event=held, status=Registration.Status.ATTENDED, hours=Decimal("3.00"))
    RegistrationFactory(event=held, status=Registration.Status.ATTENDED, hours=Decimal("1.50"))
    RegistrationFactory(event=held, status=Registration.Status.NO_SHOW)
    EventFactory(street=side_a.hub.street, status=Event.Status.CANCELLED, cancelled_reason="雨")
    elsewhere = EventFactory(
        street=side_b.hub.street,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2) + datetime.timedelta(hours=3),
    )
    RegistrationFactory(event=elsewhere, status=Registration.Status.ATTENDED, hours=Decimal("2"))
    figures = street_event_figures(street_id=side_a.hub.street_id, year=timezone.localdate().year)
    assert (figures.events_held, figures.caravans_held) == (1, 1)
    assert (figures.participants, figures.hours) == (2, Decimal("4.50"))


def test_export_masks_phones_and_escapes_formulas(client, side_a):
    OrganisationFactory(
        name="=HYPERLINK(1)服务社",
        street=side_a.hub.street,
        domicile="@SUM(A1)",
        contact_phone="13812345678",
    )
    client.force_login(side_a.user)
    content = client.get(reverse("streets:hub-registry-export")).content
    cells = [
        cell
        for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert "'=HYPERLINK(1)服务社" in cells
    assert "'@SUM(A1)" in cells
    assert "138****5678" in cells
    assert "13812345678" not in cells


def test_registry_pages_mask_phones(client, side_a):
    client.force_login(side_a.user)
    url = reverse("streets:hub-registry-detail", kwargs={"slug": side_a.organisation.slug})
    text = client.get(url).content.decode()
    assert side_a.organisation.masked_phone in text
    assert side_a.organisation.contact_phone not in text


def test_late_inspection_mail_renders(db):
    context = {
        "hub_name": "江宁路街道社区社会组织联合会",
        "year": 2025,
        "due_on": datetime.date(2026, 5, 31),
        "organisation_names": ["甲服务社", "乙协会"],
        "late_count": 2,
        "site_url": "http://testserver",
        "site_name": "益路",
    }
    subject = render_to_string("federation/email/hub_inspection_late_subject.txt", context)
    body = render_to_string("federation/email/hub_inspection_late_message.txt", context)
    assert "2" in subject and "2025" in subject
    assert "甲服务社" in body and "/streets/hub/inspections/" in body


# --- Query counts at two data sizes ----------------------------------------------------------


def _grow(side, start: int, count: int) -> None:
    fields = [service_field("health"), service_field("elderly-care")]
    for n in range(start, start + count):
        OrganisationFactory(
            name=f"{side.hub.street.name_zh}扩充服务社{n}（虚构）",
            street=side.hub.street,
            contact_phone="13900000000",
            service_fields=fields,
        )
        applicant = OrganisationFactory(
            name=f"{side.hub.street.name_zh}扩充申请{n}（虚构）",
            street=side.hub.street,
            status=Organisation.Status.APPLIED,
        )
        HubRecommendation.objects.create(
            organisation=applicant,
            hub=side.hub,
            verdict="recommend",
            recommended_by=side.user,
            recommended_at=timezone.now(),
        )
        event = EventFactory(street=side.hub.street, hub=side.hub, kind=Event.Kind.OUTREACH)
        RegistrationFactory(event=event)
        EventFactory(
            street=side.hub.street,
            hub=side.hub,
            kind=Event.Kind.OUTREACH,
            status=Event.Status.DRAFT,
            review_state=Event.Review.SUBMITTED,
        )


PAGES = [
    ("public", "streets:hub-detail", {"code": "310106006"}),
    ("public", "streets:hub-list", {}),
    ("hub", "streets:hub-home", {}),
    ("hub", "streets:hub-registry", {}),
    ("hub", "streets:hub-application-list", {}),
    ("hub", "streets:hub-inspections", {}),
    ("hub", "streets:hub-event-list", {}),
    ("staff", "streets:review", {}),
]


@pytest.mark.parametrize(("who", "name", "kwargs"), PAGES)
def test_query_count_is_constant(who, name, kwargs, client, side_a, federation_staff):
    if who == "hub":
        client.force_login(side_a.user)
    elif who == "staff":
        client.force_login(federation_staff)
    url = reverse(name, kwargs=kwargs)
    counts = []
    for start, extra in ((0, 2), (2, 10)):
        _grow(side_a, start, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_hub_events_add_no_queries_to_the_public_event_list(client, side_a):
    counts = []
    for extra in (1, 6):
        for _n in range(extra):
            EventFactory(street=side_a.hub.street, hub=side_a.hub, kind=Event.Kind.OUTREACH)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("events:event-list"))
        assert side_a.hub.name in response.content.decode()  # the hub is the organiser
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
