"""The catalogue's pages: wiring, permissions, search and filters, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import ServiceOffering
from catalogue.sections import _SOURCES, NextOffered, register_next_offered
from federation.models import ServiceField
from tests.events.factories import EventFactory, in_days
from tests.federation.factories import OrganisationFactory, OrganisationMemberFactory, street

from .factories import OfferingFactory, details, image_upload

pytestmark = pytest.mark.django_db
Status = ServiceOffering.Status


def _form_data(**overrides) -> dict:
    data = details(**overrides)
    data["field"] = data["field"].pk
    data["capacity"] = data["capacity"] or ""
    return data


# --- An organisation's own ----------------------------------------------------------


def test_org_admin_keeps_offerings_through_the_pages(client, mine):
    client.force_login(mine.user)
    assert client.get("/my/services/").status_code == 200
    response = client.post("/my/services/new/", _form_data())
    offering = ServiceOffering.objects.get(organisation=mine.organisation)
    assert response.url == f"/my/services/{offering.pk}/"
    assert offering.status == Status.DRAFT
    page = client.get(response.url)
    assert page.status_code == 200 and "老年人智能手机课堂" in page.content.decode()
    client.post(f"/my/services/{offering.pk}/", _form_data(summary="新的简介"))
    client.post(f"/my/services/{offering.pk}/photos/", {"image": image_upload()})
    client.post(f"/my/services/{offering.pk}/submit/")
    offering.refresh_from_db()
    assert offering.summary == "新的简介" and offering.photos.count() == 1
    assert offering.status == Status.SUBMITTED
    # Under review it cannot be changed: the page says so and the service refuses.
    response = client.post(f"/my/services/{offering.pk}/", _form_data(summary="再改"))
    assert response.status_code == 200
    offering.refresh_from_db()
    assert offering.summary == "新的简介"
    client.post(f"/my/services/{offering.pk}/withdraw/")
    offering.refresh_from_db()
    assert offering.status == Status.WITHDRAWN


def test_another_organisations_offering_is_a_404_on_every_my_url(client, mine, theirs):
    offering = OfferingFactory(organisation=theirs.organisation, status=Status.DRAFT)
    photo = offering.photos.create(image=image_upload())
    client.force_login(mine.user)
    for url in (
        f"/my/services/{offering.pk}/",
        f"/my/services/{offering.pk}/submit/",
        f"/my/services/{offering.pk}/withdraw/",
        f"/my/services/{offering.pk}/photos/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, _form_data(summary="偷改")).status_code == 404, url
    assert client.post(f"/my/services/photos/{photo.pk}/remove/").status_code == 404
    offering.refresh_from_db()
    assert offering.status == Status.DRAFT and offering.summary != "偷改"
    assert offering.photos.count() == 1
    listed = client.get("/my/services/").content.decode()
    assert offering.title not in listed


def test_plain_members_and_strangers_cannot_use_my_services(client, mine):
    member = OrganisationMemberFactory(organisation=mine.organisation)
    client.force_login(member.user)
    assert client.get("/my/services/").status_code == 404
    client.logout()
    assert client.get("/my/services/").status_code == 302


def test_my_home_lists_the_section_for_org_admins(client, mine):
    client.force_login(mine.user)
    assert "/my/services/" in client.get("/my/").content.decode()


# --- Staff review ---------------------------------------------------------------------


def test_staff_publish_and_return_on_the_review_page(client, staff, mine):
    first = OfferingFactory(organisation=mine.organisation, status=Status.SUBMITTED)
    second = OfferingFactory(organisation=mine.organisation, status=Status.SUBMITTED)
    client.force_login(staff)
    listing = client.get("/services/review/").content.decode()
    assert first.title in listing and second.title in listing
    client.post(f"/services/review/{first.pk}/", {"action": "publish"})
    response = client.post(f"/services/review/{second.pk}/", {"action": "return", "reason": ""})
    assert response.status_code == 200  # the reason is required
    client.post(f"/services/review/{second.pk}/", {"action": "return", "reason": "请补充时间"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.PUBLISHED
    assert second.status == Status.RETURNED and second.return_reason == "请补充时间"


def test_staff_edit_any_offering_on_the_review_page(client, staff):
    offering = OfferingFactory()
    client.force_login(staff)
    client.post(f"/services/review/{offering.pk}/", _form_data(title="改过的标题"))
    offering.refresh_from_db()
    assert offering.title == "改过的标题" and offering.status == Status.PUBLISHED


@pytest.mark.parametrize(
    "url", ["/services/review/", "/services/handbook.pdf", "/services/handbook.xlsx"]
)
def test_review_and_handbook_need_the_reviewer_role(client, mine, url):
    client.force_login(mine.user)
    assert client.get(url).status_code == 403
    offering = OfferingFactory(status=Status.SUBMITTED)
    assert client.get(f"/services/review/{offering.pk}/").status_code == 403


# --- Public ------------------------------------------------------------------------------


def test_the_public_list_shows_only_published_offerings_of_members(client):
    shown = OfferingFactory(title="社区血压检测")
    OfferingFactory(title="草稿服务", status=Status.DRAFT)
    OfferingFactory(title="待审服务", status=Status.SUBMITTED)
    OfferingFactory(title="失效机构服务", organisation=OrganisationFactory(status="lapsed"))
    page = client.get("/services/").content.decode()
    assert "社区血压检测" in page
    assert f'href="/organisations/{shown.organisation.slug}/"' in page
    for hidden in ("草稿服务", "待审服务", "失效机构服务"):
        assert hidden not in page
    assert client.get(f"/services/{shown.pk}/").status_code == 200
    draft = ServiceOffering.objects.get(title="草稿服务")
    assert client.get(f"/services/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    "query", ["手机", "智能手机课", "shouji", "zhinengshouji", "znsj", "ZNSJ", "lnrznsjkt", "乐龄"]
)
def test_search_finds_by_substring_full_pinyin_and_initials(client, query):
    OfferingFactory(
        title="老年人智能手机课堂",
        organisation=OrganisationFactory(name="上海市静安区乐龄服务中心", short_name="乐龄"),
    )
    OfferingFactory(title="社区法律咨询")
    titles = [o.title for o in client.get("/services/", {"q": query}).context["offerings"]]
    assert titles == ["老年人智能手机课堂"]


def test_filters_by_field_and_street(client):
    jiangning = OrganisationFactory(street=street("310106006"))
    pengpu = OrganisationFactory(street=street("310106100"))
    health = ServiceField.objects.get(code="health")
    OfferingFactory(title="江宁为老", organisation=jiangning)
    OfferingFactory(title="江宁健康", organisation=jiangning, field=health)
    OfferingFactory(title="彭浦健康", organisation=pengpu, field=health)

    def titles(**params):
        return sorted(o.title for o in client.get("/services/", params).context["offerings"])

    assert titles(field="health") == ["彭浦健康", "江宁健康"]
    assert titles(street="310106006") == ["江宁为老", "江宁健康"]
    assert titles(field="health", street="310106100") == ["彭浦健康"]
    response = client.get("/services/", {"street": "999"})
    assert response.context["filters_ignored"]
    counts = {f.code: f.offering_count for f in response.context["service_fields"]}
    assert len(counts) == 12 and counts["health"] == 2 and counts["legal"] == 0


def test_a_bad_page_number_shows_a_page(client):
    for number in range(25):
        OfferingFactory(title=f"分页测试服务{number:02d}")
    assert client.get("/services/", {"page": "99"}).status_code == 200
    assert client.get("/services/", {"page": "abc"}).status_code == 200


def test_detail_shows_provider_events_next_offered_and_the_allowed_contact(client):
    offering = OfferingFactory(contact_visibility="email")
    EventFactory(organisation=offering.organisation, title="乐龄开放日", starts_at=in_days(5))

    def booths(item):
        return [NextOffered("大篷车 第9期 摊位", "/events/x/", in_days(3))]

    register_next_offered(booths)
    try:
        page = client.get(f"/services/{offering.pk}/").content.decode()
    finally:
        _SOURCES.remove(booths)
    assert "乐龄开放日" in page and "大篷车 第9期 摊位" in page
    assert "service@example.org" in page
    assert "13900001234" not in page and "139****1234" in page
    assert f"/organisations/{offering.organisation.slug}/" in page


def test_descriptions_are_sanitised(client):
    offering = OfferingFactory(description="**好**<script>alert(1)</script>")
    page = client.get(f"/services/{offering.pk}/").content.decode()
    assert "<strong>好</strong>" in page and "<script>alert" not in page


def test_the_organisation_profile_lists_its_published_offerings(client):
    offering = OfferingFactory(title="公开的服务")
    OfferingFactory(organisation=offering.organisation, title="还是草稿", status=Status.DRAFT)
    page = client.get(f"/organisations/{offering.organisation.slug}/").content.decode()
    assert "公开的服务" in page and "还是草稿" not in page


def test_the_home_page_links_to_the_catalogue(client):
    OrganisationFactory()
    assert 'href="/services/"' in client.get("/").content.decode()


def _populate(count: int):
    fields = list(ServiceField.objects.all())
    organisation = OrganisationFactory()
    for number in range(count):
        offering = OfferingFactory(
            organisation=organisation if number % 2 else OrganisationFactory(),
            field=fields[number % len(fields)],
            title=f"查询计数服务{number:03d}",
        )
        offering.photos.create(image=image_upload())
        EventFactory(organisation=organisation)
    return organisation


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_detail_query_counts_do_not_grow_with_the_data(client):
    counts = {"list": [], "search": [], "detail": []}
    for size in (4, 30):
        organisation = _populate(size)
        offering = ServiceOffering.objects.filter(organisation=organisation).last()
        counts["list"].append(_queries(client, "/services/"))
        counts["search"].append(_queries(client, "/services/?q=cxjs&field=health"))
        counts["detail"].append(_queries(client, f"/services/{offering.pk}/"))
    assert counts["list"][0] == counts["list"][1]
    assert counts["search"][0] == counts["search"][1]
    assert counts["detail"][0] == counts["detail"][1]


@pytest.mark.parametrize("size", [4, 30])
def test_list_and_detail_stay_within_a_few_queries(size, client, django_assert_max_num_queries):
    organisation = _populate(size)
    offering = ServiceOffering.objects.filter(organisation=organisation).last()
    with django_assert_max_num_queries(6):
        client.get("/services/")
    with django_assert_max_num_queries(7):
        client.get(f"/services/{offering.pk}/")


def test_the_back_office_lists_and_saves_through_the_service(client, staff, mine):
    offering = OfferingFactory(organisation=mine.organisation)
    client.force_login(staff)
    assert client.get("/admin/catalogue/serviceoffering/").status_code == 200
    url = f"/admin/catalogue/serviceoffering/{offering.pk}/change/"
    assert client.get(url).status_code == 200
    data = {**_form_data(title="后台改过"), "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    offering.refresh_from_db()
    assert offering.title == "后台改过" and offering.pinyin_search == "htgg houtaigaiguo"
    client.force_login(mine.user)
    assert client.get("/admin/catalogue/serviceoffering/").status_code == 302


def test_short_initials_do_not_match_every_provider_name(client):
    OfferingFactory(title="老年人智能手机课堂")
    OfferingFactory(
        title="社区法律咨询", organisation=OrganisationFactory(name="上海市静安区法律服务社")
    )
    titles = [o.title for o in client.get("/services/", {"q": "sj"}).context["offerings"]]
    assert titles == ["老年人智能手机课堂"]
