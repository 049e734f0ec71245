"""Markup the phone layouts rely on: stacked registration cards, no e-ticket on a cancelled row, full-width colons."""

import pytest
from django.urls import reverse

from events.models import Registration
from tests.events.factories import ParticipantFactory, RegistrationFactory
from tests.federation.factories import OrgAdminFactory

pytestmark = pytest.mark.django_db


def test_a_cancelled_registration_offers_no_e_ticket(client):
    admin = OrgAdminFactory()
    person = ParticipantFactory(organisation=admin.organisation)
    kept = RegistrationFactory(participant=person)
    cancelled = RegistrationFactory(participant=person, status=Registration.Status.CANCELLED)
    client.force_login(admin.user)
    html = client.get(reverse("events:registration-list")).content.decode()
    assert 'class="table table-sm align-middle yilu-stack"' in html
    assert reverse("events:registration-detail", args=[kept.pk]) in html
    assert reverse("events:registration-detail", args=[cancelled.pk]) not in html


def test_chinese_labels_take_a_full_width_colon(client):
    from tests.events.factories import EventFactory

    EventFactory(title="社区志愿者急救技能公开课（示例）")
    html = client.get(reverse("events:event-list")).content.decode()
    assert "主办方：" in html and "主办方:" not in html
