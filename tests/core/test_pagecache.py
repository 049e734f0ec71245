"""The anonymous page cache (core.pagecache): what is cached, for whom, and what clears it."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import pagecache
from core.pagecache import cache_public_page, page_cache_bump
from events import services as event_services
from events.models import Event
from funds.chart import seed_spring_bud_fund
from funds.models import Account, Fund
from news import services as news_services
from tests.events.factories import EventFactory
from tests.federation.factories import FederationStaffFactory, OrganisationFactory, UserFactory
from tests.funds.factories import give
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """On for these tests only; tests/conftest.py clears the cache before each test."""
    settings.YILU_PAGE_CACHE_SECONDS = 300


def _get(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response, len(queries)


PUBLIC_PAGES = [
    "portal:home",
    "events:event-list",
    "events:event-calendar",
    "events:event-feed",
    "federation:organisation-list",
    "alliances:list",
    "funds:public",
    "funds:gifts",
    "funds:partners",
    "caravan:public",
    "festival:history",
    "festival:honour-roll",
    "catalogue:offering-list",
    "news:article-list",
    "news:feed-rss",
    "news:feed-atom",
    "streets:hub-list",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_served_from_the_cache_to_anonymous_visitors(client, name):
    seed_spring_bud_fund(Fund, Account)
    first, first_queries = _get(client, reverse(name))
    second, second_queries = _get(client, reverse(name))
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_object_pages_are_cached_too(client):
    event = EventFactory(title="缓存的活动")
    organisation = OrganisationFactory()
    article = ArticleFactory()
    for url in (
        reverse("events:event-detail", args=[event.slug]),
        reverse("events:event-ics", args=[event.slug]),
        reverse("federation:organisation-detail", args=[organisation.slug]),
        reverse("alliances:detail", args=["elderly"]),
        reverse("news:article-detail", args=[article.slug]),
        reverse("streets:hub-detail", args=["310106013"]),
    ):
        _get(client, url)
        response, queries = _get(client, url)
        assert queries == 0, url
    assert response.status_code == 200


def test_ics_keeps_its_headers_from_the_cache(client):
    event = EventFactory()
    url = reverse("events:event-ics", args=[event.slug])
    first, _ = _get(client, url)
    second, _ = _get(client, url)
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"].startswith("text/calendar")


def test_logged_in_visitors_are_never_served_or_stored(client):
    url = reverse("events:event-list")
    _get(client, url)  # an anonymous copy in the cache
    client.force_login(UserFactory())
    first, first_queries = _get(client, url)
    second, second_queries = _get(client, url)
    assert first_queries > 0 and second_queries > 0
    assert "account_logout" not in second.content.decode()
    assert reverse("account_logout") in second.content.decode()


def test_no_anonymous_page_is_stored_while_logged_in_pages_render(client):
    client.force_login(UserFactory())
    _get(client, reverse("events:event-list"))
    client.logout()
    _response, queries = _get(client, reverse("events:event-list"))
    assert queries > 0


def test_query_string_and_language_each_have_their_own_copy(client):
    EventFactory(title="培训活动", kind=Event.Kind.TRAINING)
    EventFactory(title="大篷车活动", kind=Event.Kind.CARAVAN)
    url = reverse("events:event-list")
    everything, _ = _get(client, url)
    training, queries = _get(client, url, query_params={"kind": "training"})
    assert queries > 0
    assert "大篷车活动" in everything.content.decode()
    assert "大篷车活动" not in training.content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english, queries = _get(client, url)
    assert queries > 0
    assert english.content != everything.content
    assert '<html lang="en">' in english.content.decode()
    _again, queries = _get(client, url)
    assert queries == 0


def test_language_switcher_posts_without_a_token(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/events/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_turned_off_with_zero_seconds(client, settings):
    settings.YILU_PAGE_CACHE_SECONDS = 0
    _get(client, reverse("events:event-list"))
    _response, queries = _get(client, reverse("events:event-list"))
    assert queries > 0


# --- Invalidation: each kind of write shows at once --------------------------------------


def test_publishing_an_event_shows_it_on_the_list_at_once(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="刚发布的活动", status=Event.Status.DRAFT)
    url = reverse("events:event-list")
    assert "刚发布的活动" not in _get(client, url)[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_publish(event=event, acting_user=FederationStaffFactory())
    assert "刚发布的活动" in _get(client, url)[0].content.decode()


def test_a_registration_updates_the_places_left(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5, visitor_signup=True)
    url = reverse("events:event-detail", args=[event.slug])
    before = _get(client, url)[0].context["places_left"]
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_create_for_visitor(
            event=event, name="访客（虚构）", mobile="13900000001"
        )
    after, queries = _get(client, url)
    assert queries > 0
    assert after.context["places_left"] == before - 1


def test_publishing_news_shows_it_at_once(client, django_capture_on_commit_callbacks):
    editor = FederationStaffFactory()
    url = reverse("news:article-list")
    with django_capture_on_commit_callbacks(execute=True):
        article = news_services.article_create(acting_user=editor, title="新鲜的通知")
    assert "新鲜的通知" not in _get(client, url)[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        news_services.article_publish(article=article, acting_user=editor)
    assert "新鲜的通知" in _get(client, url)[0].content.decode()


def test_a_donation_updates_the_fund_pages(client, django_capture_on_commit_callbacks):
    fund = seed_spring_bud_fund(Fund, Account)
    manager = FederationStaffFactory(is_superuser=True)
    url = reverse("funds:public")
    before = _get(client, url)[0].content
    with django_capture_on_commit_callbacks(execute=True):
        give(fund, manager, amount=str(Decimal("4321.00")))
    after, queries = _get(client, url)
    assert queries > 0
    assert after.content != before


def test_an_admin_edit_clears_every_namespace(
    client, admin_client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="后台改名前")
    url = reverse("events:event-list")
    assert "后台改名前" in _get(client, url)[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:auth_group_add"), {"name": "随便一个组"})
    assert response.status_code == 302
    Event.objects.filter(pk=event.pk).update(title="后台改名后")
    assert "后台改名后" in _get(client, url)[0].content.decode()


def test_a_bump_waits_for_the_commit(client, django_capture_on_commit_callbacks):
    EventFactory(title="旧标题")
    url = reverse("events:event-list")
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache_bump("events")
    assert _get(client, url)[1] == 0  # not yet committed
    for callback in callbacks:
        callback()
    assert _get(client, url)[1] > 0


def test_unknown_namespace_is_refused():
    with pytest.raises(ValueError):
        page_cache_bump("event")


# --- Responses that must never be stored -----------------------------------------------


def _request(path="/somewhere/", session=None):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = session if session is not None else SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _counting_view(body):
    calls = []

    @cache_public_page("events")
    def view(request):
        calls.append(1)
        return body(request)

    return view, calls


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda request: HttpResponse(get_token(request)), id="csrf-token"),
        pytest.param(
            lambda request: _with_cookie(HttpResponse("cookie")),
            id="sets-a-cookie",
        ),
        pytest.param(lambda request: HttpResponse("gone", status=404), id="not-200"),
        pytest.param(
            lambda request: HttpResponse(request.session.get("ticket", "none")),
            id="reads-the-session",
        ),
    ],
)
def test_responses_that_depend_on_the_visitor_are_not_stored(body):
    view, calls = _counting_view(body)
    view(_request())
    view(_request())
    assert len(calls) == 2


def _with_cookie(response):
    response.set_cookie("seen", "1")
    return response


def test_a_plain_response_is_stored():
    view, calls = _counting_view(lambda request: HttpResponse("plain"))
    view(_request())
    assert view(_request()).content == b"plain"
    assert len(calls) == 1


def test_a_visitor_with_messages_waiting_gets_a_fresh_page():
    view, calls = _counting_view(lambda request: HttpResponse("plain"))
    view(_request())
    request = _request()
    messages.success(request, "报名成功")
    view(request)
    assert len(calls) == 2
    assert len(request._messages) == 1  # still waiting to be shown


# --- PageCacheMiddleware: a hit skips URL resolution and the view ------------------------


def test_a_stored_page_is_served_without_the_view(client, monkeypatch):
    url = reverse("caravan:public")
    first, _ = _get(client, url)
    assert pagecache._ROUTES[url] == ("caravan", "organisations", "streets")

    def view_ran(*args, **kwargs):
        raise AssertionError("the view ran for a stored page")

    monkeypatch.setattr(pagecache, "serve_cached", view_ran)
    second, queries = _get(client, url)
    assert queries == 0
    assert second.content == first.content
    assert second["X-Frame-Options"] == "DENY"  # every other middleware still applies
    assert "Content-Security-Policy" in second


def test_a_hit_is_one_cache_round_trip(client, monkeypatch):
    url = reverse("events:event-list")
    _get(client, url)
    calls, depth = [], []
    backend = caches["default"]

    def spy(name, original):
        def call(*args, **kwargs):
            if not depth:  # the local-memory backend's get_many calls its own get
                calls.append(name)
            depth.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "add", "set", "set_many", "has_key"):
        monkeypatch.setattr(backend, name, spy(name, getattr(backend, name)))
    _get(client, url)
    assert calls == ["get_many"]


def test_the_middleware_does_not_serve_a_page_stored_before_a_bump(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="改名之前")
    url = reverse("events:event-list")
    _get(client, url)
    Event.objects.filter(pk=event.pk).update(title="改名之后")
    assert "改名之前" in _get(client, url)[0].content.decode()  # no bump: still cached
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_bump("events")
    response, queries = _get(client, url)
    assert queries > 0
    assert "改名之后" in response.content.decode()


def test_a_path_is_learned_only_when_its_page_is_stored(client):
    missing = "/events/no-such-event-anywhere/"
    assert client.get(missing).status_code == 404
    assert missing not in pagecache._ROUTES
    _get(client, reverse("events:event-list"), query_params={"kind": "training"})
    assert reverse("events:event-list") in pagecache._ROUTES


def test_the_middleware_leaves_visitors_with_messages_to_the_view(client):
    view, calls = _counting_view(lambda request: HttpResponse("plain"))
    middleware = pagecache.PageCacheMiddleware(view)
    view(_request())  # stored, and its path learned
    assert middleware(_request()).content == b"plain"
    assert len(calls) == 1
    request = _request()
    messages.success(request, "报名成功")
    middleware(request)
    assert len(calls) == 2
    assert len(request._messages) == 1


def test_the_learned_paths_stay_bounded(monkeypatch):
    monkeypatch.setattr(pagecache, "_ROUTES", {})
    monkeypatch.setattr(pagecache, "_ROUTES_MAX", 3)
    view, _calls = _counting_view(lambda request: HttpResponse("plain"))
    for number in range(7):
        view(_request(f"/page-{number}/"))
    assert 0 < len(pagecache._ROUTES) <= 3


# --- PageCacheFrontMiddleware: a visitor without cookies meets no other middleware --------


def _front_with(inner):
    calls = []

    def get_response(request):
        calls.append(request)
        return inner(request)

    return pagecache.PageCacheFrontMiddleware(get_response), calls


def test_the_front_middleware_serves_a_stored_page_before_any_other_middleware(client):
    url = reverse("events:event-list")
    first, _ = _get(client, url)

    def nothing_behind(request):
        raise AssertionError("a middleware behind the front one ran for a stored page")

    front, calls = _front_with(nothing_behind)
    request = RequestFactory().get(url)  # no session, no user, no locale set up
    hit = front(request)
    assert calls == []
    assert hit.content == first.content


def test_a_page_served_at_the_front_has_every_header_the_middlewares_gave_it(client):
    url = reverse("funds:grants")
    seed_spring_bud_fund(Fund, Account)
    first, _ = _get(client, url)
    second, queries = _get(client, url)
    assert queries == 0
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Content-Language",
        "Vary",
    ):
        assert second[name] == first[name], name
    assert not second.cookies


def test_the_front_middleware_keys_the_language_chosen_not_one_left_on_the_thread(client):
    url = reverse("events:event-list")
    chinese, _ = _get(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = _get(client, url)
    assert english["Content-Language"] == "en" and 'lang="en"' in english.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    translation.activate("en")  # what a worker thread keeps from an English visitor
    try:
        again, queries = _get(client, url)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert queries == 0
    assert again.content == chinese.content


@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, "messages"])
def test_a_visitor_with_a_session_or_messages_cookie_goes_past_the_front(client, cookie):
    url = reverse("events:event-list")
    first, _ = _get(client, url)
    front, calls = _front_with(lambda request: HttpResponse("behind"))
    request = RequestFactory().get(url)
    request.COOKIES[cookie] = "something"
    assert front(request).content == b"behind"
    assert len(calls) == 1


def test_a_logged_in_visitor_is_never_served_or_stored_at_the_front(client):
    url = reverse("events:event-list")
    anonymous, _ = _get(client, url)
    client.force_login(UserFactory())
    logged_in, queries = _get(client, url)
    assert queries > 0
    assert logged_in.content != anonymous.content  # the menu names the visitor
    client.logout()
    again, queries = _get(client, url)
    assert again.content == anonymous.content
