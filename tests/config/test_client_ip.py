"""Rate limits key on an address the client cannot choose (X-Forwarded-For spoofing)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.clientip import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.YILU_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def _request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_a_direct_connection_is_its_own_address_whatever_it_claims(behind_one_proxy):
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_our_proxy_the_address_it_appended_counts(behind_one_proxy):
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.1.2.3", "198.51.100.7")) == "198.51.100.7"


def test_garbage_or_a_short_header_falls_back_to_the_connection(behind_one_proxy, settings):
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_no_trusted_proxy_configured_ignores_the_header(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.YILU_TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "1.2.3.4")) == "127.0.0.1"


@pytest.mark.parametrize("remote", ["203.0.113.9", "127.0.0.1"])
def test_25_login_posts_with_25_spoofed_addresses_get_429(client, behind_one_proxy, remote):
    """Straight to the app, or through our proxy that appends the real address."""
    statuses = []
    for n in range(25):
        spoofed = f"192.0.2.{n + 1}"
        forwarded = spoofed if remote != "127.0.0.1" else f"{spoofed}, 198.51.100.7"
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.com", "password": "wrong-password"},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        statuses.append(response.status_code)
    assert 429 in statuses
    assert statuses.index(429) == 20
