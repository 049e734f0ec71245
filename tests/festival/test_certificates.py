"""The 光荣证 PDF: Chinese text layer with name and number, a non-blank first page."""

import pytest
from django.urls import reverse

from festival import services
from festival.certificates import honour_certificate_pdf
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory, UserFactory

from .factories import first_page_ink, honour_round, needs_poppler, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def award():
    return services.award_grant(
        round=honour_round(year=2021),
        recipient_name="欧阳志华（虚构）",
        organisation=OrgAdminFactory().organisation,
        acting_user=FederationStaffFactory(),
    )


@needs_poppler
def test_text_layer_holds_chinese_name_award_and_number(award):
    text = pdf_text(honour_certificate_pdf(award))
    assert "欧阳志华（虚构）" in text
    assert "BYXF-2021-001" in text
    assert "百益先锋" in text and "光荣证" in text
    assert "/honours/verify/BYXF-2021-001/" in text


@needs_poppler
def test_first_page_renders_with_ink(award, tmp_path):
    assert first_page_ink(honour_certificate_pdf(award), tmp_path) > 0.01


def test_pdf_for_staff_and_the_recipients_organisation_only(client, award):
    url = reverse("festival:award-pdf", args=[award.number])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    admin = award.organisation.members.filter(role="admin").first()
    client.force_login(admin.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
