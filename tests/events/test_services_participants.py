"""An organisation's participants (events.services.participants)."""

import pytest
from django.core.exceptions import PermissionDenied

from events import services
from tests.federation.factories import OrganisationFactory, refusal_code

from .factories import organisation_of as _org

pytestmark = pytest.mark.django_db


# --- Participants ------------------------------------------------------------------------------


def test_participant_create_normalises_and_refuses_duplicates(org_user):
    organisation = _org(org_user)
    participant = services.participant_create(
        organisation=organisation,
        name="陈*（虚构）",
        mobile="0086 138 0000 1234",
        role="volunteer",
        acting_user=org_user,
    )
    assert participant.mobile == "13800001234"
    assert participant.masked_mobile == "138****1234"
    assert (
        refusal_code(
            services.participant_create,
            organisation=organisation,
            name="重复",
            mobile="13800001234",
            role="staff",
            acting_user=org_user,
        )
        == "participant_duplicate"
    )
    with pytest.raises(PermissionDenied):
        services.participant_create(
            organisation=OrganisationFactory(),
            name="外人",
            mobile="13800009999",
            role="staff",
            acting_user=org_user,
        )
