"""The admin shows the ledger read-only."""

import pytest

from .factories import give

pytestmark = pytest.mark.django_db


def test_ledger_admin_is_read_only(client, fund, manager):
    from tests.federation.factories import StaffFactory

    donation = give(fund, manager)
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    entry_url = f"/admin/funds/journalentry/{donation.entry_id}/change/"
    response = client.get(entry_url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.get("/admin/funds/journalentry/add/").status_code == 403
    assert client.post(f"/admin/funds/journalentry/{donation.entry_id}/delete/").status_code == 403
    assert client.get("/admin/funds/posting/").status_code == 404  # not registered on its own
    assert client.get("/admin/funds/grant/").status_code == 200
