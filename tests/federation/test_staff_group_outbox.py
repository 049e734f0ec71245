"""The staff group (not only the superuser) reaches the outbox and the reminder rules."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:notifications_message_changelist",
        "admin:notifications_reminderrule_changelist",
        "admin:notifications_unsubscription_changelist",
    ],
)
def test_staff_group_opens_the_outbox_and_reminder_rules(client, staff, url_name):
    assert not staff.is_superuser
    client.force_login(staff)
    assert client.get(reverse(url_name)).status_code == 200


def test_staff_group_may_resend_and_edit_rules_but_not_write_messages(staff):
    assert staff.has_perm("notifications.change_message")  # the resend action
    assert staff.has_perm("notifications.change_reminderrule")
    assert not staff.has_perm("notifications.delete_message")


def test_the_admin_index_lists_the_outbox_for_staff(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:notifications_message_changelist") in page
    assert reverse("admin:notifications_reminderrule_changelist") in page


def test_the_admin_index_counts_applications_waiting(client, staff):
    from federation.models import Organisation
    from tests.federation.factories import OrganisationFactory

    OrganisationFactory.create_batch(2, status=Organisation.Status.APPLIED)
    OrganisationFactory(status=Organisation.Status.ACTIVE)
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<strong id="waiting-applications">2</strong>' in page
    assert "?status__exact=applied" in page
