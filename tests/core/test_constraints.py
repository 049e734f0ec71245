"""``core.constraints``: full_clean's answers without its queries (on the registry model)."""

import datetime
import itertools

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.db.models import CheckConstraint, F, Q
from django.test.utils import CaptureQueriesContext

from core.constraints import Unsupported, condition_holds, full_clean_batched
from federation.creditcode import make_credit_code
from federation.models import Organisation
from tests.federation.factories import OrganisationFactory, street

pytestmark = pytest.mark.django_db

CHECKS = [c for c in Organisation._meta.constraints if isinstance(c, CheckConstraint)]
CODE = make_credit_code("52310106MQ000001")
DAY = datetime.date(2020, 1, 1)


def _values(**values):
    base = {
        "credit_code": "",
        "legal_form": "other",
        "status": "active",
        "rating": "",
        "rating_year": None,
        "certificate_valid_from": None,
        "certificate_valid_to": None,
        "has_public_fundraising": False,
        "is_charity": False,
    }
    return base | values


GRID = [
    _values(),
    _values(credit_code=CODE, legal_form="community_group"),
    _values(credit_code="short"),
    _values(credit_code=CODE.lower()),
    _values(credit_code=CODE + "\n"),
    _values(status="nonsense"),
    _values(rating="3A"),
    _values(rating="3A", rating_year=2020),
    _values(rating_year=2020),
    _values(certificate_valid_from=DAY, certificate_valid_to=DAY - datetime.timedelta(days=1)),
    _values(certificate_valid_from=DAY, certificate_valid_to=DAY),
    _values(certificate_valid_to=DAY),
    _values(has_public_fundraising=True),
    _values(has_public_fundraising=True, is_charity=True),
]


@pytest.mark.parametrize(("values", "constraint"), list(itertools.product(GRID, CHECKS)))
def test_condition_holds_answers_as_the_database(values, constraint):
    try:
        python = condition_holds(constraint.condition, values)
    except Unsupported:
        return  # full_clean_batched asks the database then
    against = Organisation(**values)._get_field_expression_map(meta=Organisation._meta)
    assert python == Q(constraint.condition).check(against)


def test_unknown_is_not_false_and_a_missing_field_is_a_field_error():
    condition = Q(rating_year__gte=F("established"))
    assert condition_holds(condition, {"rating_year": None, "established": 2000})
    assert condition_holds(~condition, {"rating_year": None, "established": 2000})
    with pytest.raises(FieldError):
        condition_holds(condition, {"rating_year": 2001})
    with pytest.raises(Unsupported):
        condition_holds(Q(name__icontains="x"), {"name": "x"})


def _organisation(**values) -> Organisation:
    defaults = {
        "name": "约束测试社（虚构）",
        "slug": "constraint-test",
        "legal_form": "other",
        "status": "active",
        "street": street("310106006"),
    }
    return Organisation(**(defaults | values))


def _taken() -> dict:
    rows = Organisation.objects.values_list("pk", "name", "slug", "credit_code")
    return {
        "name": {name: pk for pk, name, _slug, _code in rows},
        "slug": {slug: pk for pk, _name, slug, _code in rows},
        "credit_code": {code: pk for pk, _name, _slug, code in rows if code},
    }


def _errors(call) -> dict[str, list[str]] | None:
    try:
        call()
    except ValidationError as error:
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return None


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"name": "已有的社（虚构）"},
        {"slug": "taken-slug"},
        {"credit_code": CODE, "legal_form": "service_agency"},
        {"credit_code": CODE, "legal_form": "community_group"},
        {"rating": "3A"},
        {"has_public_fundraising": True, "rating_year": 1990},
        {"certificate_valid_from": DAY, "certificate_valid_to": DAY - datetime.timedelta(days=2)},
        {"name": "已有的社（虚构）", "credit_code": "bad", "status": "nonsense"},
    ],
)
def test_full_clean_batched_raises_what_full_clean_raises(values):
    OrganisationFactory(name="已有的社（虚构）", slug="taken-slug", credit_code=CODE)
    organisation = _organisation(**values)
    taken = _taken()
    with CaptureQueriesContext(connection) as queries:
        batched = _errors(lambda: full_clean_batched(organisation, exclude=["street"], taken=taken))
    assert not queries.captured_queries
    assert batched == _errors(lambda: organisation.full_clean(exclude=["street"]))


def test_an_existing_row_does_not_collide_with_itself():
    existing = OrganisationFactory(name="已有的社（虚构）", slug="taken-slug", credit_code=CODE)
    existing.legal_form = "service_agency"
    assert _errors(lambda: full_clean_batched(existing, taken=_taken())) is None
    assert _errors(existing.full_clean) is None
