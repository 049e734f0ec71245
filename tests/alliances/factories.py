import factory

from alliances.models import Alliance, AllianceMembership
from federation.models import OrganisationMember
from tests.federation.factories import OrganisationFactory, UserFactory


def alliance(code: str = "elderly") -> Alliance:
    """One of the seven alliances made by the data migration."""
    return Alliance.objects.get(code=code)


def org_admin(organisation=None, **kwargs):
    """A user who administers ``organisation`` (a new active one by default)."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**kwargs)
    OrganisationMember.objects.create(
        organisation=organisation, user=user, role=OrganisationMember.Role.ADMIN
    )
    return user


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
