from io import StringIO

import pytest

from federation import demo
from federation.creditcode import check_credit_code
from federation.models import (
    STAFF_GROUP_NAME,
    AnnualInspection,
    Invitation,
    MembershipEvent,
    Organisation,
    OrganisationMember,
    Street,
    User,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in [
            Organisation,
            OrganisationMember,
            MembershipEvent,
            AnnualInspection,
            Invitation,
            User,
        ]
    }


def test_demo_organisations_cover_streets_forms_and_states_and_are_idempotent():
    demo.seed(StringIO())
    first = _counts()
    demo.seed(StringIO())
    assert _counts() == first

    organisations = Organisation.objects.all()
    assert 38 <= organisations.count() <= 45
    assert set(organisations.values_list("street__code", flat=True)) == set(
        Street.objects.values_list("code", flat=True)
    )
    assert set(organisations.values_list("legal_form", flat=True)) == set(
        Organisation.LegalForm.values
    )
    statuses = list(organisations.values_list("status", flat=True))
    assert statuses.count("applied") >= 3
    assert statuses.count("lapsed") >= 2
    assert statuses.count("active") >= 28
    assert AnnualInspection.objects.filter(status="qualified").exists()
    assert AnnualInspection.objects.filter(status="submitted").exists()

    codes = [code for code in organisations.values_list("credit_code", flat=True) if code]
    assert len(codes) == len(set(codes)) >= 25
    for code in codes:
        result = check_credit_code(code)
        assert result.is_valid and not result.warnings, code
    assert {"51310106MJ00000189", "53310000MJ0000050J", "51310108MJ0000042N"} <= set(codes)
    for organisation in organisations:
        assert "虚构" in organisation.name
        assert organisation.name_pinyin and organisation.slug


def test_demo_logins_and_the_demo_org_admin():
    logins = demo.seed(StringIO())
    assert [email for email, _password in logins] == [
        "admin@yilu.example",
        "staff@yilu.example",
        "org@yilu.example",
    ]
    membership = OrganisationMember.objects.get(user__email="org@yilu.example")
    assert membership.role == OrganisationMember.Role.ADMIN
    assert membership.organisation.status == "active"
    staff = User.objects.get(email="staff@yilu.example")
    assert staff.groups.filter(name=STAFF_GROUP_NAME).exists()
    assert staff.has_perm("federation.import_organisation")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_directory_placeholder_suggests_searches_that_find_demo_members(client, language):
    """Each example in the search box's placeholder finds a member in the demo data."""
    import re

    demo.seed(StringIO())
    client.cookies["django_language"] = language
    html = client.get("/organisations/").content.decode()
    placeholder = re.search(r'name="q"[^>]*placeholder="([^"]+)"', html).group(1)
    examples = re.findall(r"[\u4e00-\u9fff]+|\b[a-z]{2,}\b", placeholder.replace("e.g.", ""))
    examples = [word for word in examples if word not in {"如", "或", "or"}]
    assert len(examples) >= 2, placeholder
    for word in examples:
        page = client.get("/organisations/", {"q": word})
        assert list(page.context["organisations"]), f"{word!r} finds no demo member"
