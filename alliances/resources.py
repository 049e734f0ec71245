"""Spreadsheet mapping for alliance memberships (django-import-export) and the
cross-alliance matrix export.

Import columns: ``organisation`` (unified social credit code or full name) and
``alliance`` (alliance code, e.g. ``elderly``, or its Chinese name). The rows are
parsed here and written by one call to
:func:`alliances.services.alliance_membership_import`, so an import is
all-or-nothing and every bad row is reported with its own error.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from import_export import fields, resources
from import_export.results import Error, Result, RowResult

from core.spreadsheets import escape_formula, xlsx_table
from core.tabular import clean_cell, normalise_text
from core.tabular_admin import dataset_with_header, spreadsheet_row

from . import services
from .models import Alliance, AllianceMembership
from .selectors import MatrixRow

IMPORT_TYPES = {
    "created": RowResult.IMPORT_TYPE_NEW,
    "approved": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}

# Accepted column headers (compared lower-case, stripped) for each import column.
ORGANISATION_HEADERS = {
    "organisation",
    "organization",
    "credit_code",
    "credit code",
    "name",
    "统一社会信用代码",
    "机构",
    "机构名称",
    "组织名称",
    "社会组织",
    "单位名称",
    "社会组织名称",
}
ALLIANCE_HEADERS = {
    "alliance",
    "alliance_code",
    "alliance code",
    "联盟",
    "联盟代码",
    "联盟名称",
    "所属联盟",
}


def _header_key(header) -> str:
    """Lower case, full-width folded, a bracketed note dropped: ``统一社会信用代码（18位）``."""
    return re.sub(r"\([^)]*\)", "", normalise_text(header).lower()).strip()


def _is_header(header) -> bool:
    return _header_key(header) in ORGANISATION_HEADERS | ALLIANCE_HEADERS


class AllianceMembershipResource(resources.ModelResource):
    """Export of memberships and all-or-nothing import through the service."""

    organisation = fields.Field(
        attribute="organisation__name", column_name="organisation", readonly=True
    )
    credit_code = fields.Field(column_name="credit_code", readonly=True)
    alliance = fields.Field(attribute="alliance__code", column_name="alliance", readonly=True)
    alliance_name = fields.Field(
        attribute="alliance__name_zh", column_name="alliance_name", readonly=True
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    joined_at = fields.Field(column_name="joined_at", readonly=True)

    class Meta:
        model = AllianceMembership
        fields = ("organisation", "credit_code", "alliance", "alliance_name", "status", "joined_at")
        export_order = fields
        import_id_fields = ()

    # --- export -----------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation", "alliance")

    def dehydrate_credit_code(self, membership: AllianceMembership) -> str:
        return membership.organisation.credit_code

    def dehydrate_joined_at(self, membership: AllianceMembership) -> str:
        if membership.joined_at is None:
            return ""
        return timezone.localtime(membership.joined_at).strftime("%Y-%m-%d")

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    # --- import -----------------------------------------------------------------

    def get_diff_headers(self):
        return ["organisation", "alliance"]

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Parse every row, then let the service write all of them or none."""
        result = Result()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        user = kwargs.get("user")
        dataset = dataset_with_header(dataset, is_header=_is_header, minimum=1)
        try:
            rows = parse_membership_rows(dataset)
        except ValidationError as exc:
            result.append_base_error(_base_error(exc))
            return result
        try:
            outcomes = services.alliance_membership_import(
                rows=rows, acting_user=user, dry_run=dry_run
            )
        except ValidationError as exc:
            _report_invalid_rows(result, rows, exc)
            return result
        for row, outcome in zip(rows, outcomes, strict=True):
            membership = outcome.membership
            row_result = RowResult()
            row_result.import_type = IMPORT_TYPES[outcome.outcome]
            row_result.diff = [row.organisation, row.alliance]
            row_result.row_values = {"organisation": row.organisation, "alliance": row.alliance}
            if not dry_run:
                row_result.instance = membership
                row_result.add_instance_info(membership)
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        return result


def parse_membership_rows(dataset) -> list[services.MembershipImportRow]:
    """The dataset's rows as import rows, numbered as the spreadsheet shows them (the header

    is row 1 unless title or blank rows come first); refuses unknown headers.
    """
    headers = [_header_key(h) for h in (dataset.headers or [])]
    organisation_column = next(
        (i for i, h in enumerate(headers) if h in ORGANISATION_HEADERS), None
    )
    alliance_column = next((i for i, h in enumerate(headers) if h in ALLIANCE_HEADERS), None)
    if organisation_column is None or alliance_column is None:
        raise ValidationError(
            gettext(
                "The file needs an “organisation” column (credit code or full name) and an "
                "“alliance” column (alliance code)."
            ),
            code="missing_columns",
        )
    rows = []
    for index, values in enumerate(dataset, start=1):
        number = spreadsheet_row(dataset, index)
        organisation = clean_cell(values[organisation_column])
        alliance = normalise_text(values[alliance_column])
        if not str(organisation or "").strip() and not str(alliance or "").strip():
            continue  # a blank line
        rows.append(
            services.MembershipImportRow(
                number=number,
                organisation=str(organisation or "").strip(),
                alliance=str(alliance or "").strip(),
            )
        )
    return rows


def _base_error(exc: ValidationError) -> Error:
    return Error(exc)


def _report_invalid_rows(result: Result, rows, exc: ValidationError) -> None:
    by_row: dict[int, list[ValidationError]] = {}
    general: list[ValidationError] = []
    for error in exc.error_list:
        number = (error.params or {}).get("row")
        if number is None:
            general.append(error)
        else:
            by_row.setdefault(number, []).append(error)
    if general:
        result.append_base_error(_base_error(ValidationError(general)))
    for row in rows:
        errors = by_row.get(row.number)
        if not errors:
            continue
        row_result = RowResult()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        row_result.validation_error = ValidationError({NON_FIELD_ERRORS: errors})
        values = {"organisation": row.organisation, "alliance": row.alliance}
        row_result.row_values = values
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
        result.append_invalid_row(row.number, values, row_result.validation_error)


# --- Cross-alliance matrix --------------------------------------------------------


def alliance_matrix_xlsx(*, alliances: list[Alliance], rows: list[MatrixRow]) -> bytes:
    """The staff matrix as an .xlsx workbook; every text cell formula-escaped."""
    status_labels = dict(AllianceMembership.Status.choices)
    header = [
        gettext("Organisation"),
        gettext("Street"),
        gettext("Membership status"),
        *[alliance.name for alliance in alliances],
        gettext("Alliances joined"),
    ]
    table = [
        [
            row.organisation.name,
            row.organisation.street.name,
            str(row.organisation.get_status_display()),
            *[str(status_labels[cell]) if cell else "" for cell in row.cells],
            row.active_count,
        ]
        for row in rows
    ]
    return xlsx_table(title=gettext("Alliances"), header=header, rows=table, freeze="B2")
