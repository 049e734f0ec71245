"""The admin change page of a grant with progress reports opens (was a FieldError 500)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import GrantProgress
from tests.federation.factories import OrgAdminFactory, StaffFactory

from .factories import grant_under_review

pytestmark = pytest.mark.django_db


def test_grant_change_page_with_progress_opens(client, fund, organisation, manager):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = grant_under_review(fund, org_admin, organisation, manager)
    GrantProgress.objects.create(
        grant=grant,
        quarter_ends_on=datetime.date(2026, 3, 31),
        summary="第一季度进展",
        spent_amount=Decimal("100.00"),
        submitted_by=org_admin,
    )
    for user in (manager, StaffFactory(is_superuser=True)):
        client.force_login(user)
        response = client.get(reverse("admin:funds_grant_change", args=[grant.pk]))
        assert response.status_code == 200
        assert "第一季度进展" in response.content.decode()
