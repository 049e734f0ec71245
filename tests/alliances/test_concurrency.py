"""Racing requests on PostgreSQL: the locks and the partial unique constraint hold."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alliances import services
from alliances.models import AllianceMembership
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
)

from .factories import alliance, secretary_of

ROUNDS = 20


def _race(*calls):
    """Run the calls at once in threads; return each one's result or error code."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except ValidationError as exc:
            outcomes[index] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_applying_at_once_make_one_application(postgres_only):
    elderly = alliance("elderly")
    for _ in range(ROUNDS):
        organisation = OrganisationFactory()
        first, second = (
            OrgAdminFactory(organisation=organisation).user,
            OrgAdminFactory(organisation=organisation).user,
        )
        outcomes = _race(
            *[
                lambda user=user, organisation=organisation: services.alliance_membership_apply(
                    organisation=organisation, alliance=elderly, acting_user=user
                )
                for user in (first, second)
            ]
        )
        assert sorted(isinstance(o, AllianceMembership) for o in outcomes) == [False, True]
        assert "already_applied" in outcomes
        assert AllianceMembership.objects.filter(organisation=organisation).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_and_decline_at_once_decide_once(postgres_only):
    secretary = secretary_of("elderly")
    staff = FederationStaffFactory()
    elderly = alliance("elderly")
    for _ in range(ROUNDS):
        admin = OrgAdminFactory().user
        organisation = admin.organisation_memberships.get().organisation
        membership = services.alliance_membership_apply(
            organisation=organisation, alliance=elderly, acting_user=admin
        )
        outcomes = _race(
            lambda m=membership: services.alliance_membership_approve(
                membership=m, acting_user=secretary
            ),
            lambda m=membership: services.alliance_membership_decline(
                membership=m, reason="名额已满", acting_user=staff
            ),
        )
        assert "not_pending" in outcomes
        membership.refresh_from_db()
        assert membership.status in ("active", "declined")
        # One decision, one history row for it (plus the application's).
        assert membership.changes.count() == 2
