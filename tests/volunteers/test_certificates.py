"""The 志愿服务记录证明: numbered, the issuer's own rows, PDF text layer, verification."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory
from tests.festival.factories import first_page_ink, needs_poppler, pdf_text
from volunteers import services
from volunteers.certificates import service_certificate_pdf
from volunteers.models import ServiceCertificate

TODAY = timezone.localdate


def _attended(participant, hours, title):
    event = EventFactory(
        title=title,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=4),
    )
    RegistrationFactory(event=event, participant=participant, status="attended", hours=hours)


@pytest.fixture
def volunteer(ordinary_day, db):
    first = ParticipantFactory(name="欧阳*（虚构）", mobile="13955550000")
    second = ParticipantFactory(name="欧阳*（虚构）", mobile="13955550000")
    _attended(first, Decimal("3.00"), "月月·大篷车 血压检测")
    _attended(second, Decimal("2.50"), "公益集市")
    return services.volunteer_verify_mobile(mobile="13955550000")


def _main(response) -> str:
    """The page's own content, without the site's navigation and footer."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _issue(volunteer, organisation, user):
    return services.service_certificate_issue(
        volunteer=volunteer,
        organisation=organisation,
        period_from=TODAY() - datetime.timedelta(days=30),
        period_to=TODAY(),
        person_in_charge="王*华（虚构）",
        handler="陈*（虚构）",
        contact="021-00000000",
        acting_user=user,
    )


@pytest.mark.django_db
def test_an_organisation_certifies_only_its_own_rows_staff_all(volunteer):
    first_org = volunteer.links.order_by("pk")[0].participant.organisation
    admin = OrgAdminFactory(organisation=first_org)
    own = _issue(volunteer, first_org, admin.user)
    assert own.total_hours == Decimal("3.00")
    assert [line["activity"] for line in own.lines] == ["月月·大篷车 血压检测"]
    assert own.issuer_name == first_org.name
    everything = _issue(volunteer, None, FederationStaffFactory())
    assert everything.total_hours == Decimal("5.50")
    year = TODAY().year
    assert [own.number, everything.number] == [f"ZYFW-{year}-0001", f"ZYFW-{year}-0002"]
    with pytest.raises(PermissionDenied):
        _issue(volunteer, None, admin.user)
    other = volunteer.links.order_by("pk")[1].participant.organisation
    with pytest.raises(PermissionDenied):
        _issue(volunteer, other, admin.user)


@pytest.mark.django_db
def test_no_hours_no_certificate():
    person = ParticipantFactory()
    staff = FederationStaffFactory()
    volunteer = services.volunteer_get_or_create_for_participant(
        participant=person, acting_user=staff
    )
    with pytest.raises(ValidationError) as error:
        _issue(volunteer, None, staff)
    assert error.value.code == "no_hours"


@needs_poppler
@pytest.mark.django_db
def test_pdf_text_layer_and_first_page(volunteer, tmp_path):
    certificate = _issue(volunteer, None, FederationStaffFactory())
    pdf = service_certificate_pdf(certificate)
    text = pdf_text(pdf)
    assert "欧阳*（虚构）" in text
    assert certificate.number in text
    assert "志愿服务记录证明" in text
    assert "负责人：王*华（虚构）" in text and "经办人：陈*（虚构）" in text
    assert "血压检测" in text and "公益集市" in text and "5.50" in text
    assert first_page_ink(pdf, tmp_path) > 0.005


@pytest.mark.django_db
def test_verification_page_and_revoked(client, volunteer):
    staff = FederationStaffFactory()
    certificate = _issue(volunteer, None, staff)
    url = reverse("volunteers:verify", args=[certificate.number])
    content = _main(client.get(url))
    assert "欧阳*（虚构）" in content and "5.50" in content
    # the public check names no phone and no activity (the menu links the caravan page)
    assert "13955550000" not in content and "月月·大篷车 血压检测" not in content
    services.service_certificate_revoke(
        certificate=certificate, reason="录入错误", acting_user=staff
    )
    content = _main(client.get(url))
    assert "已撤销" in content and "录入错误" not in content


@pytest.mark.django_db
def test_pdf_download_for_issuers_only(client, volunteer):
    certificate = _issue(volunteer, None, FederationStaffFactory())
    url = reverse("volunteers:certificate-pdf", args=[certificate.number])
    client.force_login(OrgAdminFactory().user)
    assert client.get(url).status_code == 403
    client.force_login(FederationStaffFactory())
    assert client.get(url)["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_issues_number_without_gaps(postgres_only, volunteer):
    staff = FederationStaffFactory()
    barrier = threading.Barrier(8)
    errors = []

    def issue():
        try:
            barrier.wait()
            _issue(volunteer, None, staff)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(ServiceCertificate.objects.values_list("serial", flat=True)) == list(range(1, 9))


@pytest.mark.django_db
def test_an_org_admin_issues_from_its_page_without_joining_anybody(ordinary_day, client):
    person = ParticipantFactory(name="钱*（虚构）")
    ParticipantFactory(name="钱*（虚构）", mobile=person.mobile)  # same number elsewhere
    _attended(person, Decimal("2.00"), "社区服务")
    admin = OrgAdminFactory(organisation=person.organisation)
    client.force_login(admin.user)
    url = reverse("volunteers:my-certificate-issue", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "社区服务" in page.content.decode()
    assert not ServiceCertificate.objects.exists()
    from volunteers.models import Volunteer

    assert not Volunteer.objects.exists()  # looking writes nothing
    response = client.post(
        url,
        {
            "period_from": (TODAY() - datetime.timedelta(days=30)).isoformat(),
            "period_to": TODAY().isoformat(),
            "person_in_charge": "王*（虚构）",
            "handler": "陈*（虚构）",
            "contact": "021-00000000",
        },
    )
    certificate = ServiceCertificate.objects.get()
    assert response["Location"] == reverse("volunteers:certificate-pdf", args=[certificate.number])
    assert certificate.organisation == person.organisation
    assert certificate.volunteer.links.count() == 1  # its own row only, never a guess
    other = OrgAdminFactory()
    client.force_login(other.user)
    assert client.get(url).status_code == 404
