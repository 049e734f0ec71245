"""Writes for annual inspections (年检年报).

Invariants owned here:
- one record per organisation and year reported on, made only for legal
  forms that file one (social groups, service agencies, foundations);
- an org admin marks the report submitted once the year is over; only staff
  record the result (合格 / 基本合格 / 不合格 / 未参检), with who and when.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pagecache import page_cache_invalidates

from ..models import AnnualInspection, Organisation, User
from ._common import lock_organisation, require_org_admin_or_staff, require_staff


def _inspection_for(organisation: Organisation, year: int) -> AnnualInspection:
    if not organisation.files_annual_inspection:
        raise ValidationError(
            _("This legal form files no annual inspection with civil affairs."),
            code="inspection_not_required",
        )
    if not 2000 <= year < timezone.localdate().year + 1:
        raise ValidationError(_("Choose a year that is over."), code="inspection_year_invalid")
    established = organisation.established_on
    if established and year < established.year:
        raise ValidationError(
            _("The organisation was founded in %(founded)s: there is no report on %(year)s."),
            code="inspection_year_invalid",
            params={"founded": established.year, "year": year},
        )
    inspection, _created = AnnualInspection.objects.get_or_create(
        organisation=organisation, year=year
    )
    return inspection


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def annual_inspection_submit(
    *, organisation: Organisation, year: int, acting_user: User
) -> AnnualInspection:
    """An org admin records that the report on ``year`` went in."""
    organisation = lock_organisation(organisation)
    require_org_admin_or_staff(organisation, acting_user)
    if year >= timezone.localdate().year:
        raise ValidationError(
            _("The report on a year is due after the year ends."), code="inspection_year_invalid"
        )
    inspection = _inspection_for(organisation, year)
    if inspection.status != AnnualInspection.Status.NOT_SUBMITTED:
        raise ValidationError(
            _("The report on %(year)s is already recorded."),
            code="inspection_already_submitted",
            params={"year": year},
        )
    inspection.status = AnnualInspection.Status.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.submitted_by = acting_user
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def annual_inspection_record(
    *, organisation: Organisation, year: int, status: str, note: str = "", acting_user: User
) -> AnnualInspection:
    """Staff record (or correct) the state of ``year``'s inspection; results name the reviewer."""
    require_staff(acting_user)
    if status not in AnnualInspection.Status.values:
        raise ValidationError(_("Unknown inspection status."), code="invalid_status")
    organisation = lock_organisation(organisation)
    inspection = _inspection_for(organisation, year)
    now = timezone.now()
    inspection.status = status
    inspection.note = (note or "").strip()
    if status == AnnualInspection.Status.NOT_SUBMITTED:
        inspection.submitted_at = inspection.submitted_by = None
        inspection.reviewed_at = inspection.reviewed_by = None
    elif status != AnnualInspection.Status.NOT_PARTICIPATED and inspection.submitted_at is None:
        inspection.submitted_at = now
    if status in AnnualInspection.RESULTS:
        inspection.reviewed_at = now
        inspection.reviewed_by = acting_user
    elif status == AnnualInspection.Status.SUBMITTED:
        inspection.reviewed_at = inspection.reviewed_by = None
    inspection.full_clean()
    inspection.save()
    return inspection
