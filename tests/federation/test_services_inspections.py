import datetime

import pytest
from django.core.exceptions import ValidationError

from federation import selectors, services
from federation.models import AnnualInspection, Organisation

from .factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
)

pytestmark = pytest.mark.django_db
LAST_YEAR = 2025  # the year just closed on the day every test here runs


@pytest.fixture(autouse=True)
def _mid_june_2026(clock):
    """Last year's report is due this spring, whatever day the suite runs."""
    clock.set(datetime.date(2026, 6, 15))


def test_org_admin_marks_last_years_report_submitted_once():
    admin = OrgAdminFactory()
    inspection = services.annual_inspection_submit(
        organisation=admin.organisation, year=LAST_YEAR, acting_user=admin.user
    )
    assert inspection.status == AnnualInspection.Status.SUBMITTED
    assert inspection.submitted_by == admin.user and inspection.submitted_at
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_submit(
            organisation=admin.organisation, year=LAST_YEAR, acting_user=admin.user
        )
    assert excinfo.value.code == "inspection_already_submitted"


def test_submission_refusals():
    admin = OrgAdminFactory()
    member = OrganisationMemberFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_submit(
            organisation=admin.organisation, year=LAST_YEAR, acting_user=member.user
        )
    assert excinfo.value.code == "not_org_admin"
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_submit(
            organisation=admin.organisation, year=LAST_YEAR + 1, acting_user=admin.user
        )
    assert excinfo.value.code == "inspection_year_invalid"
    group = OrganisationFactory(legal_form=Organisation.LegalForm.COMMUNITY_GROUP)
    group_admin = OrgAdminFactory(organisation=group)
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_submit(
            organisation=group, year=LAST_YEAR, acting_user=group_admin.user
        )
    assert excinfo.value.code == "inspection_not_required"


def test_staff_record_the_result_with_reviewer():
    staff = FederationStaffFactory()
    organisation = OrganisationFactory()
    inspection = services.annual_inspection_record(
        organisation=organisation,
        year=LAST_YEAR,
        status="qualified",
        note="合格",
        acting_user=staff,
    )
    assert inspection.status == "qualified"
    assert inspection.reviewed_by == staff and inspection.reviewed_at and inspection.submitted_at
    absent = services.annual_inspection_record(
        organisation=OrganisationFactory(),
        year=LAST_YEAR,
        status="not_participated",
        acting_user=staff,
    )
    assert absent.submitted_at is None and absent.reviewed_by == staff
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_record(
            organisation=organisation,
            year=LAST_YEAR,
            status="qualified",
            acting_user=OrgAdminFactory().user,
        )
    assert excinfo.value.code == "not_staff"
    with pytest.raises(ValidationError) as excinfo:
        services.annual_inspection_record(
            organisation=organisation, year=LAST_YEAR, status="excellent", acting_user=staff
        )
    assert excinfo.value.code == "invalid_status"


def test_deadlines_follow_the_legal_form():
    agency = OrganisationFactory(legal_form="service_agency", supervising_unit="区民政局")
    foundation = OrganisationFactory(legal_form="foundation", is_charity=True)
    group = OrganisationFactory(legal_form="community_group")
    assert [d.due_on for d in AnnualInspection.deadlines(organisation=agency, year=2025)] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 5, 31),
    ]
    assert [d.due_on for d in AnnualInspection.deadlines(organisation=foundation, year=2025)] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 5, 31),
    ]
    assert AnnualInspection.deadlines(organisation=group, year=2025) == []
    assert selectors.inspection_due_dates(year=2025) == (
        datetime.date(2026, 3, 31),
        datetime.date(2026, 5, 31),
    )


def test_outstanding_inspections_for_the_reminders():
    staff = FederationStaffFactory()
    done = OrganisationFactory()
    waiting = OrganisationFactory()
    OrganisationFactory(legal_form="community_group")
    OrganisationFactory(status="lapsed")
    OrganisationFactory(established_on=datetime.date(LAST_YEAR + 1, 1, 2))  # founded since
    services.annual_inspection_record(
        organisation=done, year=LAST_YEAR, status="submitted", acting_user=staff
    )
    assert list(selectors.organisation_list_inspection_outstanding(year=LAST_YEAR)) == [waiting]


def test_no_report_is_asked_for_or_taken_on_years_before_the_founding():
    founded = datetime.date(LAST_YEAR, 3, 1)
    admin = OrgAdminFactory(organisation=OrganisationFactory(established_on=founded))
    organisation = admin.organisation
    assert [item.year for item in selectors.annual_inspection_years(organisation=organisation)] == [
        LAST_YEAR
    ]
    for service, kwargs in [
        (services.annual_inspection_submit, {"acting_user": admin.user}),
        (
            services.annual_inspection_record,
            {"status": "qualified", "acting_user": FederationStaffFactory()},
        ),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            service(organisation=organisation, year=LAST_YEAR - 1, **kwargs)
        assert excinfo.value.code == "inspection_year_invalid"
    assert not AnnualInspection.objects.filter(organisation=organisation).exists()
    services.annual_inspection_submit(
        organisation=organisation, year=LAST_YEAR, acting_user=admin.user
    )
