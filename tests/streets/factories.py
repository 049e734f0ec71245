from federation.models import HubStaff, StreetHub
from tests.federation.factories import UserFactory


def hub(code: str) -> StreetHub:
    """One of the 14 hubs migration federation/0008 creates."""
    return StreetHub.objects.select_related("street").get(street__code=code)


def hub_staff(code: str, **user_fields) -> HubStaff:
    """A user working for the hub of street ``code`` (written directly: test set-up)."""
    user = UserFactory(**user_fields)
    return HubStaff.objects.create(user=user, hub=hub(code))
