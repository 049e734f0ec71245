import factory

from alliances.models import Alliance, AllianceMembership
from tests.federation.factories import OrganisationFactory, UserFactory


def alliance(code: str = "elderly") -> Alliance:
    """One of the seven alliances made by the data migration."""
    return Alliance.objects.get(code=code)


def secretary_of(code: str, **kwargs):
    """A user made the secretary of alliance ``code``."""
    user = UserFactory(**kwargs)
    Alliance.objects.filter(code=code).update(secretary=user)
    return user


class AllianceMembershipFactory(factory.django.DjangoModelFactory):
    """A membership row made directly (test setup only; code uses the services)."""

    class Meta:
        model = AllianceMembership

    organisation = factory.SubFactory(OrganisationFactory)
    alliance = factory.LazyFunction(lambda: Alliance.objects.get(code="elderly"))
    status = AllianceMembership.Status.ACTIVE
