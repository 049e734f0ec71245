import datetime
import io

import pytest
from django.utils import timezone

from core.timezone import SHANGHAI
from events import demo
from events.models import Event, Registration
from tests.alliances.factories import secretary_of
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (Event.objects.count(), Registration.objects.count())


def test_demo_is_realistic_and_idempotent(clock):
    # The day the demo was written for: its caravans cover the whole of 2026.
    clock.set(datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI))
    FederationStaffFactory()
    secretary_of("youth")
    for _ in range(3):
        OrgAdminFactory()
    demo.seed(io.StringIO())
    first = _counts()
    demo.seed(io.StringIO())
    assert _counts() == first

    caravans = Event.objects.filter(kind=Event.Kind.CARAVAN).order_by("starts_at")
    assert caravans.filter(starts_at__year=2026).count() == 12
    past = [e for e in caravans if e.ends_at < timezone.now()]
    upcoming = [e for e in caravans if e.ends_at >= timezone.now()]
    assert past and upcoming
    assert all(e.status == Event.Status.COMPLETED for e in past)
    attended = Registration.objects.filter(event=past[-1], status="attended")
    assert attended.exists() and all(r.hours and r.hours <= 3 for r in attended)
    assert Registration.objects.filter(event=past[-1], hours_corrected=True).count() == 1
    assert any(e.is_registration_open() for e in upcoming)
    festival = Event.objects.get(slug="festival-2026")
    assert festival.starts_at.month == 9 and festival.children.count() >= 3
    youth = Event.objects.filter(alliance__code="youth")
    assert set(youth.values_list("kind", flat=True)) == {"training", "team_building"}
    assert "（虚构）" in Registration.objects.exclude(participant=None).first().name
