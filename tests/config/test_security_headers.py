"""A strict Content-Security-Policy on every page; cookies secure in production."""

import subprocess
import sys

import pytest
from django.urls import reverse

from events.markup import render_markdown

from .test_settings import BASE_DIR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/events/", "/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "http" not in policy  # no other host anywhere


def test_report_only_mode_for_trying_a_change(client, settings):
    settings.YILU_CSP_REPORT_ONLY = True
    settings.MIDDLEWARE = list(settings.MIDDLEWARE)  # rebuild the middleware chain
    response = client.get(reverse("portal:home"))
    assert "Content-Security-Policy-Report-Only" in response
    assert "Content-Security-Policy" not in response


def test_the_language_cookie_is_secure_in_production():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 60,
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


@pytest.mark.parametrize(
    "source",
    [
        "![pixel](https://tracker.example/p.gif)",
        "![pixel](http://tracker.example/p.gif)",
        "![pixel](//tracker.example/p.gif)",
        "![pixel](/media/../accounts/logout/)",
        '<img src="https://tracker.example/p.gif">',
    ],
)
def test_markdown_images_from_another_host_are_stripped(source):
    html = render_markdown(source)
    assert "tracker" not in html and "src=" not in html


def test_markdown_images_uploaded_to_the_portal_stay():
    html = render_markdown("![封面](/media/events/covers/2026/cover.png)")
    assert 'src="/media/events/covers/2026/cover.png"' in html
