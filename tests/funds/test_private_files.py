"""Grant attachments are private: outside /media/, unguessable names, served by a view."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from funds.models import GrantAttachment
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
)

from .factories import grant_under_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(fund, organisation, manager):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = grant_under_review(fund, org_admin, organisation, manager)
    return GrantAttachment.objects.create(
        grant=grant,
        kind=GrantAttachment.Kind.APPLICATION,
        file=SimpleUploadedFile("我们的计划.pdf", b"%PDF-1.4 org A only"),
        original_name="我们的计划.pdf",
        uploaded_by=org_admin,
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_attachment_is_stored_outside_media_root_under_an_unguessable_name(attachment, settings):
    path = Path(attachment.file.path).resolve()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert "计划" not in attachment.file.name
    assert len(Path(attachment.file.name).stem) == 32
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no URL exists for a private file


def test_owner_downloads_the_attachment(client, attachment):
    client.force_login(attachment.grant.applied_by)
    response = client.get(f"/my/grants/files/{attachment.pk}/")
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 org A only"
    assert "attachment" in response["Content-Disposition"]


def test_another_organisation_gets_404(client, attachment):
    other = OrgAdminFactory().user
    client.force_login(other)
    assert client.get(f"/my/grants/files/{attachment.pk}/").status_code == 404


def test_a_visitor_is_sent_to_log_in_and_never_gets_the_file(client, attachment):
    response = client.get(f"/my/grants/files/{attachment.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Not at any /media/ address either (no URL maps to PRIVATE_MEDIA_ROOT).
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_fund_people_download_federation_staff_do_not(client, attachment, manager, auditor):
    url = f"/fund/manage/{attachment.grant.fund.code}/files/{attachment.pk}/"
    for user in (manager, auditor):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(FederationStaffFactory())
    assert client.get(url).status_code == 403


@override_settings(YILU_PRIVATE_MEDIA_ACCEL_PREFIX="/_private/")
def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, attachment):
    client.force_login(attachment.grant.applied_by)
    response = client.get(f"/my/grants/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{attachment.file.name}"
    assert response.content == b""
