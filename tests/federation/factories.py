import factory
from allauth.account.models import EmailAddress

from federation.models import Organisation, OrganisationMember, Street, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-w0rd-for-tests")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"静安测试社会组织{n}号服务中心")
    slug = factory.Sequence(lambda n: f"org-{n}")
    status = Organisation.Status.ACTIVE
    legal_form = Organisation.LegalForm.SERVICE_AGENCY
    street = factory.LazyFunction(lambda: Street.objects.order_by("code").first())


class OrganisationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.MEMBER
