"""The demo: editions since 2009 past 40,000 by 2022, this year's with walk-ins, 100 pioneers."""

import datetime
import io

import pytest
from django.core.management import call_command

from festival import selectors
from festival.models import Award, Edition
from volunteers.models import ServiceCertificate, Volunteer


@pytest.mark.django_db
def test_seed_demo_loads_the_festival_and_volunteers_once(clock):
    # The demo's current edition is 2026's (5 September) and its certificate counts this
    # year's hours: the test runs in the autumn of 2026, whatever the day.
    clock.set(datetime.date(2026, 10, 15))
    call_command("seed_demo", stdout=io.StringIO())
    rows = selectors.edition_rows()
    by_year = {row.edition.year: row for row in rows}
    assert [row.edition.number for row in rows] == list(range(1, 19))
    assert by_year[2022].running_total > 40000
    assert all(by_year[year].edition.is_demo_figure for year in range(2009, 2026))
    current = by_year[2026]
    assert current.edition.event.slug == "festival-2026"
    assert current.walk_ins == 340 and current.attended > 0
    pioneers = Award.objects.filter(award_type__code="BYXF", year=2021).order_by("serial")
    assert pioneers.count() == 100
    assert pioneers.last().number == "BYXF-2021-100"
    assert all("虚构" in award.recipient_name for award in pioneers)
    assert Volunteer.objects.filter(links__isnull=False).distinct().count() >= 1
    assert ServiceCertificate.objects.count() == 1
    call_command("seed_demo", stdout=io.StringIO())
    assert Edition.objects.count() == 18
    assert Award.objects.filter(year=2021).count() == 100
    assert ServiceCertificate.objects.count() == 1
    assert selectors.edition_rows()[-1].walk_ins == 340
