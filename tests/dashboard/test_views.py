"""The dashboard's wiring: who may see it, filters, links, and a bounded number of queries."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.selectors import this_year
from events.models import Registration
from federation.models import Street
from festival.models import Edition, WalkInCount
from tests.caravan.factories import record
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import OrganisationFactory, StaffFactory, UserFactory
from tests.festival.factories import EditionFactory, festival_event

from .test_stats import shanghai

pytestmark = pytest.mark.django_db
URL = "/staff/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path", [URL, "/staff/report.xlsx", "/staff/report.pdf", "/staff/evidence/"]
)
def test_a_logged_in_user_who_is_not_federation_staff_gets_403(client, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403


def test_is_staff_alone_is_not_enough(client):
    # The role is the group 联合会工作人员, never the is_staff flag by itself.
    client.force_login(StaffFactory())
    assert client.get(URL).status_code == 403


def test_staff_see_every_panel_with_its_table_and_chart(staff_client):
    response = staff_client.get(URL, {"year": 2025})
    html = response.content.decode()

    assert response.status_code == 200
    for key in (
        "members",
        "alliances",
        "events",
        "hours",
        "events-alliance",
        "fund-income",
        "fund-grants",
        "fund-balance",
        "outbox",
        "inspections",
        "caravan",
        "festival",
    ):
        assert f'id="panel-{key}"' in html
    assert html.count("<details") == html.count('class="card mb-3 yilu-panel"')
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<svg" in html


def test_a_figure_links_to_the_filtered_list_behind_it(staff_client):
    street = Street.objects.order_by("code")[1]
    EventFactory(starts_at=shanghai(2025, 3, 8, 9), ends_at=shanghai(2025, 3, 8, 12), street=street)

    html = staff_client.get(URL, {"year": 2025, "street": street.code}).content.decode()

    march = f"/admin/events/event/?starts_at__year=2025&amp;starts_at__month=3&amp;street__id__exact={street.pk}"
    assert march in html
    assert (
        f"/admin/federation/organisation/?street__id__exact={street.pk}&amp;status__exact=applied"
        in html
    )
    assert "District-wide" in html or "全区数据" in html


def test_the_linked_back_office_lists_accept_their_filters(admin_client):
    # A filter the change list does not know would bounce to ?e=1.
    staff_html = admin_client.get(URL, {"year": 2025}).content.decode()
    links = set(re.findall(r'href="(/admin/[^"]+)"', staff_html))
    assert links
    for link in sorted(links)[:40]:
        response = admin_client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "e=1" not in response.get("Location", ""), link


def test_an_unknown_year_or_street_falls_back_to_this_year_and_all_streets(staff_client):
    response = staff_client.get(URL, {"year": "abc", "street": "nowhere"})
    assert response.status_code == 200
    assert response.context["filters"].street is None


def _add_data(n: int, year: int) -> None:
    """``n`` organisations, each with events over the year and attended registrations,
    and a caravan service record; a festival edition with walk-ins."""
    streets = list(Street.objects.order_by("code"))
    edition = Edition.objects.filter(year=year).first() or EditionFactory(year=year, number=99)
    if edition.event_id is None:
        edition.event = festival_event(
            starts_at=shanghai(year, 9, 6, 9), ends_at=shanghai(year, 9, 6, 17)
        )
        edition.save()
    WalkInCount.objects.get_or_create(activity=edition.event, defaults={"count": 5})
    for i in range(n):
        organisation = OrganisationFactory(street=streets[i % len(streets)])
        record("legal", datetime.date(year, 1 + i % 12, 20), 3 + i, organisation=organisation)
        event = EventFactory(
            starts_at=shanghai(year, 1 + i % 12, 5, 9),
            ends_at=shanghai(year, 1 + i % 12, 5, 12),
            street=streets[i % len(streets)],
        )
        for _ in range(3):
            RegistrationFactory(
                event=event,
                participant=ParticipantFactory(organisation=organisation),
                status=Registration.Status.ATTENDED,
                hours=Decimal("2.00"),
            )


def _queries(client, year: int) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, {"year": year}).status_code == 200
    return len(context)


def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_data_size(staff_client):
    year = this_year()  # the demo data's year
    small = _queries(staff_client, year)  # reference data only: streets, alliances, the fund
    call_command("seed_demo", stdout=StringIO())  # the demo data set, and then some more
    _add_data(30, year)
    large = _queries(staff_client, year)

    assert small == large
    assert small <= 40


def test_the_street_list_is_filtered_for_every_street_scoped_panel(staff_client):
    first, second = Street.objects.order_by("code")[:2]
    for street in (first, second, second):
        EventFactory(
            starts_at=shanghai(2025, 6, 1, 9), ends_at=shanghai(2025, 6, 1, 12), street=street
        )

    response = staff_client.get(URL, {"year": 2025, "street": second.code})

    events = next(r for r, _svg in response.context["panels"] if r.panel.key == "events")
    assert events.data.figures[0].value == 2


def test_reports_download_as_xlsx_and_pdf(staff_client):
    xlsx = staff_client.get("/staff/report.xlsx", {"year": 2025})
    pdf = staff_client.get("/staff/report.pdf", {"year": 2025})

    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="yilu-annual-report-2025.xlsx"' in xlsx["Content-Disposition"]
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_dashboard_is_linked_from_the_staff_menu(staff_client):
    # Menu (工作台) -> workbench -> dashboard: the staff's tools live on the workbench.
    html = staff_client.get("/").content.decode()
    assert reverse("portal:workbench") in html
    assert (
        reverse("dashboard:index") in staff_client.get(reverse("portal:workbench")).content.decode()
    )


def test_a_street_hubs_staff_see_only_their_street_whatever_they_ask(client):
    from federation.models import HubStaff, StreetHub

    first, second = Street.objects.order_by("code")[:2]
    hub = StreetHub.objects.filter(street=first).first() or StreetHub.objects.create(street=first)
    user = UserFactory()
    HubStaff.objects.create(hub=hub, user=user)
    EventFactory(starts_at=shanghai(2025, 6, 1, 9), ends_at=shanghai(2025, 6, 1, 12), street=first)
    EventFactory(starts_at=shanghai(2025, 6, 2, 9), ends_at=shanghai(2025, 6, 2, 12), street=second)
    client.force_login(user)

    response = client.get(URL, {"year": 2025, "street": second.code})

    assert response.context["filters"].street == first
    keys = [result.panel.key for result, _svg in response.context["panels"]]
    assert "events" in keys and "fund-income" not in keys
    events = next(r for r, _svg in response.context["panels"] if r.panel.key == "events")
    assert events.data.figures[0].value == 1
