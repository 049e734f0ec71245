import datetime

import factory
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from federation.models import (
    STAFF_GROUP_NAME,
    Organisation,
    OrganisationMember,
    ServiceField,
    Street,
    User,
)
from federation.pinyin import pinyin_full, pinyin_search_text


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
    """``is_staff`` only: reaches /admin/ but holds no role (fund people start here)."""

    is_staff = True


class FederationStaffFactory(StaffFactory):
    """Federation staff: a staff account in the group 联合会工作人员."""

    @factory.post_generation
    def federation_staff_group(obj, create, extracted, **kwargs):
        if create:
            group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
            obj.groups.add(group)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A registry row written directly (test set-up); services are tested separately."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"静安测试社会组织{n}号服务中心")
    slug = factory.Sequence(lambda n: f"org-{n}")
    status = Organisation.Status.ACTIVE
    legal_form = Organisation.LegalForm.SERVICE_AGENCY
    street = factory.LazyFunction(lambda: Street.objects.order_by("code").first())
    joined_on = factory.LazyFunction(lambda: datetime.date(2020, 1, 1))
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_full(o.name))
    short_name = ""
    pinyin_search = factory.LazyAttribute(lambda o: pinyin_search_text(o.name, o.short_name))

    @factory.post_generation
    def service_fields(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.service_fields.set(extracted)


class OrganisationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.MEMBER


class OrgAdminFactory(OrganisationMemberFactory):
    role = OrganisationMember.Role.ADMIN


def service_field(code: str) -> ServiceField:
    return ServiceField.objects.get(code=code)


def street(code: str) -> Street:
    return Street.objects.get(code=code)


def error_codes(error) -> set[str]:
    """Every code inside a ValidationError (flat or keyed by field)."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def refusal_code(callable_, **kwargs) -> str:
    """The code of the one refusal ``callable_`` raises (by field or not)."""
    with pytest.raises(ValidationError) as info:
        callable_(**kwargs)
    (code,) = error_codes(info.value)
    return code
