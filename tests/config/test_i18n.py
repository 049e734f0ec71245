import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_exists_and_is_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert po.exists() and mo.exists()
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo))}
    for entry in polib.pofile(str(po)):
        if entry.translated() and not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                f"{language} .mo is stale for {entry.msgid!r}: run `make messages`"
            )


def test_zh_hans_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated zh_Hans entries: {untranslated[:20]}"
    assert fuzzy == [], f"fuzzy zh_Hans entries: {fuzzy[:20]}"


def test_pages_default_to_chinese_and_switch_to_english(client, db):
    response = client.get("/")
    assert response["Content-Language"] == "zh-hans"
    assert "首页" in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Jing&#x27;an District Social Organization Federation" in html
    assert ">简体中文<" in html  # the switcher offers the way back


def test_pages_load_no_asset_from_another_host(client, db):
    html = client.get("/").content.decode() + client.get("/accounts/login/").content.decode()
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert external == []


def test_an_english_browser_still_gets_chinese_until_it_chooses(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "zh-hans"


def test_an_unknown_language_cookie_falls_back_to_chinese(client, db):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "zh-hans"
