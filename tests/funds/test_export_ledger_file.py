"""Issue 17: a large year's ledger is written by a Celery task into private storage; the
page says it is being prepared, and the same URL then downloads it, for fund staff only."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from funds import resources, tasks

from .factories import give, past_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Every ledger counts as large (a year of 38k entries at bench scale)."""
    monkeypatch.setattr(resources, "LEDGER_WAIT_MAX_ENTRIES", 0)


def _url() -> str:
    return f"/fund/manage/SBF/exports/ledger.xlsx?year={past_day().year}"


def _stored_files() -> list[Path]:
    return sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.xlsx"))


def test_small_ledger_downloads_at_once(client, fund, manager):
    give(fund, manager)
    client.force_login(manager)
    response = client.get(_url())
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _stored_files() == []


def test_large_ledger_is_prepared_in_private_storage_then_downloaded(
    client, fund, manager, auditor, large
):
    give(fund, manager)
    give(fund, manager, amount="5.00")
    client.force_login(auditor)
    first = client.get(_url())
    assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
    assert b'http-equiv="refresh"' in first.content
    # The task ran (eager in tests): the file is in private storage, not public media.
    [stored] = _stored_files()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    second = client.get(_url())
    assert second["Content-Disposition"].startswith("attachment")
    assert f"SBF-ledger-{past_day().year}.xlsx" in second["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(second.streaming_content))).active
    assert sheet.max_row == 5  # header and two postings per gift


def test_prepared_ledger_is_not_served_after_a_new_entry_or_once_expired(
    client, fund, manager, large
):
    give(fund, manager)
    client.force_login(manager)
    preparing = client.get(_url())
    assert reverse("funds:bank-import", args=["SBF"]).encode() in preparing.content  # full nav
    [old] = _stored_files()
    give(fund, manager, amount="5.00")
    assert client.get(_url())["Content-Type"].startswith("text/html")
    [new] = _stored_files()  # the new state written, the old file removed
    assert new != old
    response = client.get(_url())
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 5

    a_day_ago = (datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=1)).timestamp()
    os.utime(new, (a_day_ago, a_day_ago))
    assert client.get(_url())["Content-Type"].startswith("text/html")  # expired: written anew
    assert new.stat().st_mtime > a_day_ago


def test_prepared_ledger_needs_the_fund_staff_role(client, fund, manager, large, django_user_model):
    give(fund, manager)
    client.force_login(manager)
    client.get(_url())
    assert len(_stored_files()) == 1
    client.force_login(django_user_model.objects.create_user("visitor@example.org", "x"))
    response = client.get(_url())
    assert response.status_code == 403


def test_large_ledger_is_queued_once_while_it_is_being_written(
    client, fund, manager, large, monkeypatch
):
    give(fund, manager)
    queued = []
    monkeypatch.setattr(tasks.ledger_file_prepare, "delay", lambda *args: queued.append(args))
    client.force_login(manager)
    for _ in range(3):
        assert client.get(_url())["Content-Type"].startswith("text/html")
    assert queued == [(fund.pk, past_day().year, "zh-hans")]
