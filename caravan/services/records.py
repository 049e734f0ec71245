"""Writes for service records: the host's figures, imported history, posting proceeds."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from federation.models import Organisation, User
from funds.models import Donor, JournalEntry
from funds.money import charity_sale_proceeds
from funds.selectors import fund_get_public
from funds.services import NewDonor, charity_sale_record

from ..models import BoothApplication, ServiceKind, ServiceRecord
from ._common import require_record_permission, require_staff


def _money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal, never a float.")
    return Decimal(value).quantize(Decimal("0.01"))


def record_is_posted(record: ServiceRecord) -> bool:
    return JournalEntry.objects.filter(submission_key=record.posting_key).exists()


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan", "volunteers", "streets")
def service_record_save(
    *,
    application: BoothApplication,
    people_served: int,
    turnover: Decimal | None = None,
    note: str = "",
    acting_user: User,
) -> ServiceRecord:
    """The host records people served (and a sale's turnover) once the day has come.

    The host's admins, federation staff and the staff of the hub of the street the
    caravan is held in may record (``caravan.record_people_served``). Refuses with not_confirmed, too_early, people_negative, turnover_required and
    record_posted (proceeds already in the fund: the record is final).
    """
    application = (
        BoothApplication.objects.select_for_update(of=("self",))
        .select_related("slot__caravan__event", "slot__service_kind")
        .get(pk=application.pk)
    )
    require_record_permission(acting_user, application)
    if application.status != BoothApplication.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booth has a record."), code="not_confirmed")
    caravan, kind = application.slot.caravan, application.slot.service_kind
    if timezone.localdate() < caravan.held_on:
        raise ValidationError(_("Record the figures after the caravan."), code="too_early")
    if people_served is None or int(people_served) < 0:
        raise ValidationError(_("People served cannot be negative."), code="people_negative")
    turnover = _money(turnover)
    if kind.is_sale and turnover is None:
        raise ValidationError(_("Enter the sale's turnover."), code="turnover_required")
    record = ServiceRecord.objects.filter(application=application).first()
    if record is not None and record_is_posted(record):
        raise ValidationError(
            _("The proceeds are already in the fund; this record is final."),
            code="record_posted",
        )
    record = record or ServiceRecord(application=application)
    record.service_kind = kind
    record.organisation_id = application.organisation_id
    record.held_on = caravan.held_on
    record.people_served = int(people_served)
    record.note = (note or "").strip()[:200]
    if kind.is_sale:
        record.turnover = turnover
        record.share_percent = kind.default_share_percent
        record.proceeds = charity_sale_proceeds(
            turnover=turnover, share_percent=kind.default_share_percent
        )
    record.recorded_by, record.recorded_at = acting_user, timezone.now()
    record.save()
    return record


def service_record_post_proceeds(
    *, record: ServiceRecord, received_on: datetime.date, acting_user: User
):
    """Post a sale record's proceeds to the Spring Bud Fund, once.

    One call of the fund's own durable service; the record's ``posting_key`` is the
    entry's submission key, so a double submit (or a second tab) is refused with
    already_posted under the fund's lock. Refuses not_sale and nothing_to_post too.
    """
    record = ServiceRecord.objects.select_related(
        "service_kind", "organisation", "application__slot__caravan__event"
    ).get(pk=record.pk)
    if not record.service_kind.is_sale:
        raise ValidationError(_("Only a sale has proceeds."), code="not_sale")
    if not record.proceeds or not record.turnover:
        raise ValidationError(_("This record has no proceeds."), code="nothing_to_post")
    name = record.organisation.name if record.organisation else _("caravan charity sale")
    company = Donor.objects.filter(kind=Donor.Kind.COMPANY, name=name).order_by("pk").first()
    application = record.application
    try:
        return charity_sale_record(
            fund=fund_get_public(),
            company=company,
            new_company=None if company else NewDonor(kind=Donor.Kind.COMPANY, name=name),
            title=_("Monthly caravan %(day)s: %(service)s")
            % {"day": record.held_on.isoformat(), "service": record.service_kind.name_zh},
            starts_on=record.held_on,
            ends_on=record.held_on,
            turnover=record.turnover,
            share_percent=record.share_percent or Decimal("100"),
            received_on=received_on,
            expected_proceeds=record.proceeds,
            event=application.slot.caravan.event if application else None,
            submission_key=record.posting_key,
            acting_user=acting_user,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "duplicate_submission":
            raise ValidationError(
                _("These proceeds are already in the fund."), code="already_posted"
            ) from exc
        raise


@dataclass(frozen=True)
class HistoryRow:
    held_on: datetime.date
    service_code: str
    people_served: int
    organisation_name: str = ""
    turnover: Decimal | None = None
    note: str = ""


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan", "volunteers", "streets")
def service_record_import(*, rows: list[HistoryRow], acting_user: User) -> int:
    """Import history rows (since 2009), all or nothing. Refuses unknown_service, future."""
    require_staff(acting_user)
    kinds = {kind.code: kind for kind in ServiceKind.objects.all()}
    organisations = {org.name: org for org in Organisation.objects.only("pk", "name")}
    today = timezone.localdate()
    records = []
    for number, row in enumerate(rows, start=1):
        kind = kinds.get(row.service_code)
        if kind is None:
            raise ValidationError(
                _("Row %(row)s: unknown service %(code)s.")
                % {"row": number, "code": row.service_code},
                code="unknown_service",
            )
        if row.held_on > today:
            raise ValidationError(
                _("Row %(row)s: the date is in the future.") % {"row": number}, code="future"
            )
        turnover = _money(row.turnover)
        records.append(
            ServiceRecord(
                service_kind=kind,
                organisation=organisations.get(row.organisation_name.strip()),
                held_on=row.held_on,
                people_served=max(int(row.people_served), 0),
                turnover=turnover,
                source=ServiceRecord.Source.IMPORT,
                note=row.note[:200],
                recorded_by=acting_user,
            )
        )
    ServiceRecord.objects.bulk_create(records)
    return len(records)
