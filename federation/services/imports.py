"""Writes for spreadsheet imports of the registry.

Invariants owned here:
- an import is all-or-nothing: one transaction, any refusal rolls it back;
- rows equal to the registry write nothing, so re-importing a file is a no-op;
- an import never changes an existing organisation's membership status;
- only users with the import permission import.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pagecache import page_cache_invalidates

from ..creditcode import normalise_credit_code
from ..models import (
    Organisation,
    ServiceField,
    User,
)
from ._batch import OrganisationBatch
from ._common import (
    apply_details,
    check_credit_code_rules,
    record_membership_events,
    require_staff,
    update_details,
)

Status = Organisation.Status


@dataclass
class OrganisationImportEntry:
    """One checked spreadsheet row: an existing organisation's id (or None) and its values."""

    organisation_id: int | None
    details: dict[str, Any]
    service_field_ids: list[int] | None = None
    status: str = Status.ACTIVE
    accept_credit_code_warning: bool = False
    row_number: int = 0  # import-export's (1 = the first data row)
    sheet_row: int = 0  # the row a person sees in the spreadsheet (errors name it)


@dataclass
class OrganisationImportOutcome:
    organisation: Organisation
    created: bool
    changed: bool
    row_number: int = 0
    errors: list = field(default_factory=list)


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_import(
    *, entries: list[OrganisationImportEntry], acting_user: User
) -> list[OrganisationImportOutcome]:
    """Create or update every row, or nothing: any refusal rolls the whole import back.

    Rows equal to the registry change nothing (re-importing a file is a
    no-op). An existing organisation's membership status is not changed by
    an import (``status_change``). Every row is checked before anything is
    written; the queries do not grow with the rows beyond the writes.
    """
    if not (acting_user and acting_user.has_perm("federation.import_organisation")):
        raise ValidationError(_("You may not import organisations."), code="not_allowed")
    require_staff(acting_user)
    ids = sorted(entry.organisation_id for entry in entries if entry.organisation_id)
    locked = {
        organisation.pk: organisation
        for organisation in Organisation.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related("service_fields")
    }
    fields_by_id = {service_field.pk: service_field for service_field in ServiceField.objects.all()}
    batch = OrganisationBatch(
        names=[entry.details.get("name") for entry in entries],
        codes=[normalise_credit_code(entry.details.get("credit_code")) for entry in entries],
    )
    today = timezone.localdate()
    outcomes = []
    for entry in entries:
        service_fields = (
            None
            if entry.service_field_ids is None
            else [fields_by_id[pk] for pk in entry.service_field_ids]
        )
        try:
            outcomes.append(
                _import_row(entry, locked, service_fields, batch, acting_user, today=today)
            )
        except ValidationError as error:
            # Name the row: the caller shows it and nothing of the import stays.
            raise ValidationError(
                _("Row %(row)s: %(error)s"),
                code="import_row_invalid",
                params={
                    "row": entry.sheet_row or entry.row_number,
                    "error": "; ".join(error.messages),
                },
            ) from error
    batch.write()
    record_membership_events(
        organisations=batch.created,
        from_status="",
        reason=str(_("imported")),
        acting_user=acting_user,
    )
    return outcomes


def _import_row(
    entry: OrganisationImportEntry,
    locked: dict[int, Organisation],
    service_fields: list[ServiceField] | None,
    batch: OrganisationBatch,
    acting_user: User,
    *,
    today: datetime.date,
) -> OrganisationImportOutcome:
    """Check one row into ``batch`` (written with the others); refuses as the row's service."""
    if entry.organisation_id:
        organisation = locked[entry.organisation_id]
        if entry.status and entry.status != organisation.status:
            raise ValidationError(
                _(
                    "The membership status of an existing organisation changes in the "
                    "back office, not by import."
                ),
                code="status_change",
            )
        changed = update_details(
            organisation,
            details=entry.details,
            service_fields=service_fields,
            accept_credit_code_warning=entry.accept_credit_code_warning,
            confirmed_by_applicant=False,
            acting_user=acting_user,
            save=batch.add,
        )
        return OrganisationImportOutcome(organisation, False, changed, entry.row_number)
    organisation = Organisation(status=entry.status or Status.ACTIVE)
    apply_details(organisation, entry.details)
    if organisation.status == Status.ACTIVE and not organisation.joined_on:
        organisation.joined_on = today
    check_credit_code_rules(
        organisation,
        previous_code=None,
        accept_warning=entry.accept_credit_code_warning,
        confirmed_by_applicant=False,
        acting_user=acting_user,
    )
    batch.add(organisation, service_fields=service_fields or [])
    return OrganisationImportOutcome(organisation, True, True, entry.row_number)
