"""The public directory and profiles: filters, pinyin, privacy, query counts."""

import pytest
from django.urls import reverse

from alliances.models import Alliance, AllianceMembership
from federation.models import Organisation

from .factories import OrganisationFactory, service_field, street

pytestmark = pytest.mark.django_db
LIST = "/organisations/"


def _names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


def _member(alliance_code, organisation, status="active"):
    return AllianceMembership.objects.create(
        organisation=organisation, alliance=Alliance.objects.get(code=alliance_code), status=status
    )


@pytest.fixture
def federation_hub():
    return OrganisationFactory(
        name="上海市静安区社会组织联合会（测试）",
        short_name="静安社联",
        legal_form="social_group",
        street=street("310106012"),
        rating="5A",
        rating_year=2023,
        service_fields=[service_field("community-governance")],
        legal_representative="张*明",
        contact_person="联系人甲",
        contact_phone="13812345678",
        contact_email="secret@example.org",
        domicile="静安区某路1号",
    )


def test_only_active_members_are_listed(federation_hub):
    for status in ["applied", "suspended", "lapsed", "withdrawn", "rejected"]:
        OrganisationFactory(name=f"不应出现的{status}组织", status=status)
    response = client_get(LIST)
    assert _names(response) == [federation_hub.name]
    for status in ["applied", "suspended", "lapsed", "withdrawn", "rejected"]:
        assert f"不应出现的{status}组织" not in response.content.decode()


def client_get(url, *, language=None, **kwargs):
    from django.test import Client

    client = Client()
    if language:
        client.cookies["django_language"] = language
    return client.get(url, **kwargs)


def test_pinyin_initials_full_pinyin_and_chinese_substring_find_the_hub(federation_hub):
    OrganisationFactory(name="彭浦镇睦邻服务社（测试）")
    for query in [
        "jasl",
        "JASL",
        "ja sl",
        "jinganshelian",
        "静安",
        "社会组织联合",
        "shsjaqshzzlhh",
    ]:
        assert _names(client_get(LIST, data={"q": query})) == [federation_hub.name], query
    assert _names(client_get(LIST, data={"q": "pzml"})) == ["彭浦镇睦邻服务社（测试）"]
    assert _names(client_get(LIST, data={"q": "xyz"})) == []


def test_list_is_sorted_by_pinyin():
    for name in ["张江示例服务社", "阿福示例服务社", "北站示例服务社", "曹家渡示例服务社"]:
        OrganisationFactory(name=name)
    assert _names(client_get(LIST)) == [
        "阿福示例服务社",
        "北站示例服务社",
        "曹家渡示例服务社",
        "张江示例服务社",
    ]


def test_filters_by_street_form_field_rating_and_alliance(federation_hub):
    other = OrganisationFactory(
        legal_form="foundation",
        street=street("310106100"),
        rating="3A",
        rating_year=2022,
        service_fields=[service_field("elderly-care")],
    )
    _member("community", federation_hub)
    _member("elderly", other, status="pending")  # pending: not yet in the alliance
    assert _names(client_get(LIST, data={"street": "310106012"})) == [federation_hub.name]
    assert _names(client_get(LIST, data={"street": "310106100"})) == [other.name]
    assert _names(client_get(LIST, data={"legal_form": "foundation"})) == [other.name]
    assert _names(client_get(LIST, data={"field": "elderly-care"})) == [other.name]
    assert _names(client_get(LIST, data={"rating": "5A"})) == [federation_hub.name]
    assert _names(client_get(LIST, data={"alliance": "community"})) == [federation_hub.name]
    assert _names(client_get(LIST, data={"alliance": "elderly"})) == []
    assert _names(client_get(LIST, data={"street": "310106012", "rating": "3A"})) == []


def test_directory_and_profile_show_no_personal_data(federation_hub):
    for url in [LIST, reverse("federation:organisation-detail", args=[federation_hub.slug])]:
        page = client_get(url).content.decode()
        assert federation_hub.short_name in page
        for secret in [
            "13812345678",
            "138****5678",
            "secret@example.org",
            "张*明",
            "联系人甲",
            "静安区某路1号",
        ]:
            assert secret not in page, (url, secret)


def test_profile_shows_contact_only_when_the_organisation_ticks_it(federation_hub):
    Organisation.objects.filter(pk=federation_hub.pk).update(show_contact_publicly=True)
    page = client_get(
        reverse("federation:organisation-detail", args=[federation_hub.slug])
    ).content.decode()
    assert "13812345678" in page and "secret@example.org" in page and "联系人甲" in page
    assert "张*明" not in page  # the legal representative is never public


def test_profile_shows_fields_alliances_rating_and_description(federation_hub):
    _member("community", federation_hub)
    _member("mediation", federation_hub, status="left")
    Organisation.objects.filter(pk=federation_hub.pk).update(description="陪伴社会组织健康有序发展")
    response = client_get(
        reverse("federation:organisation-detail", args=[federation_hub.slug]), language="en"
    )
    page = response.content.decode()
    assert "Community governance" in page
    assert "Community Services Alliance" in page
    assert "Community Mediation Alliance" not in page
    assert "5A (2023)" in page
    assert "陪伴社会组织健康有序发展" in page


def test_profile_of_a_non_member_is_404():
    for status in ["applied", "suspended", "lapsed", "withdrawn", "rejected"]:
        organisation = OrganisationFactory(status=status)
        url = reverse("federation:organisation-detail", args=[organisation.slug])
        assert client_get(url).status_code == 404


def test_the_list_is_paginated():
    for number in range(25):
        OrganisationFactory(name=f"分页测试组织{number:02d}")
    first = client_get(LIST)
    assert len(first.context["organisations"]) == 20
    assert len(client_get(LIST, data={"page": 2}).context["organisations"]) == 5


def _populate(count: int):
    fields = [service_field("health"), service_field("youth")]
    alliances = list(Alliance.objects.all()[:2])
    for number in range(count):
        organisation = OrganisationFactory(
            street=street("310106013"), service_fields=fields, rating="4A", rating_year=2024
        )
        for alliance in alliances:
            AllianceMembership.objects.create(
                organisation=organisation, alliance=alliance, status="active"
            )
        if number == 0:
            first = organisation
    return first


@pytest.mark.parametrize("count", [5, 50])
def test_directory_query_count_is_constant(count, client, django_assert_max_num_queries):
    _populate(count)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"street": "310106013"})
    assert len(response.context["organisations"]) == min(count, 20)


@pytest.mark.parametrize("count", [5, 50])
def test_profile_query_count_is_constant(count, client, django_assert_max_num_queries):
    """3 queries of ours; other apps' profile sections (events it hosts) may add a few."""
    organisation = _populate(count)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("federation:organisation-detail", args=[organisation.slug]))
    assert response.status_code == 200


def test_profile_query_count_does_not_grow_with_the_registry(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for extra in (5, 45):
        organisation = _populate(extra)
        url = reverse("federation:organisation-detail", args=[organisation.slug])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_home_page_shows_the_member_count_and_links(client):
    OrganisationFactory()
    OrganisationFactory(status="applied")
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "1 member organisation" in page
    assert "/organisations/" in page and "/my/apply/" in page and "/services/" in page


def test_a_bad_or_stale_page_number_shows_a_page_instead_of_404():
    for number in range(25):
        OrganisationFactory(name=f"页码测试组织{number:02d}")
    for page, expected in [("abc", 1), ("", 1), ("-1", 2), ("999", 2), ("0", 2)]:
        response = client_get(LIST, data={"page": page})
        assert response.status_code == 200, page
        assert response.context["page_obj"].number == expected, page


def test_an_unknown_filter_value_is_dropped_with_a_notice_and_the_valid_ones_apply():
    OrganisationFactory(name="曹家渡街道测试组织", street=street("310106013"))
    OrganisationFactory(name="别处街道测试组织", street=street("310106006"))
    response = client_get(
        LIST, data={"street": "310106013", "rating": "9Z", "q": "x" * 300}, language="en"
    )
    assert response.status_code == 200
    assert _names(response) == ["曹家渡街道测试组织"]
    assert response.context["filters_ignored"] is True
    assert "Some filters were not understood" in response.content.decode()
    clean = client_get(LIST, data={"street": "310106013"})
    assert clean.context["filters_ignored"] is False
