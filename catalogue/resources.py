"""Spreadsheet mapping of the catalogue (django-import-export), by the registry's rules.

- Chinese headers; the English headers and field names are accepted too.
- The natural key is the provider (full name, short name or credit code) and
  the title.
- Every row is checked first, writing nothing; problems name the spreadsheet
  row, the column and the reason. Only a file without a single problem is
  written, in one transaction, by ``services.offering_import``; rows equal to
  the catalogue are skipped, so importing a file twice changes nothing.
- New rows become published offerings (staff import what they reviewed);
  existing ones keep their status. The status column is exported only.
- Widgets, limits and the problem list are the registry import's
  (``federation.resources``); reading odd encodings is not done here.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, RowResult
from import_export.widgets import Widget

from core.spreadsheets import escape_formula
from core.tabular_admin import dataset_with_header
from federation.models import Organisation
from federation.resources import MAX_IMPORT_ROWS, import_error_list
from federation.resources.widgets import (
    ChoiceWidget,
    IntegerWidget,
    PhoneWidget,
    ServiceFieldsWidget,
    TextWidget,
    _header_key,
)

from . import services
from .models import ServiceOffering

__all__ = [
    "COLUMNS",
    "ServiceOfferingResource",
    "import_error_list",
    "import_template_dataset",
]

# attribute, Chinese header, English header
COLUMNS = [
    ("organisation", "提供机构", "Provider"),
    ("title", "服务名称", "Title"),
    ("field", "服务领域", "Service field"),
    ("summary", "简介", "Summary"),
    ("description", "详细介绍", "Description"),
    ("audience", "服务对象", "Audience"),
    ("location", "服务地点", "Where"),
    ("availability", "服务时间", "When"),
    ("booking", "预约方式", "How to book"),
    ("contact_person", "联系人", "Contact person"),
    ("contact_phone", "联系电话", "Contact phone"),
    ("contact_email", "联系邮箱", "Contact e-mail"),
    ("contact_visibility", "公开联系方式", "Contact shown publicly"),
    ("capacity", "每场人数", "Capacity per session"),
    ("status", "状态", "Status"),
]
EXPORT_ONLY = {"status"}
CHINESE_HEADER = {attribute: zh for attribute, zh, _en in COLUMNS}
ENGLISH_HEADER = {attribute: en for attribute, _zh, en in COLUMNS}
HEADER_ALIASES = {
    _header_key(alias): attribute for attribute, zh, en in COLUMNS for alias in (attribute, zh, en)
}
VISIBILITY_LABELS = {
    "phone": ("电话", "phone"),
    "email": ("邮箱", "e-mail"),
    "none": ("不公开", "none"),
}
STATUS_LABELS = {
    "draft": ("草稿", "draft"),
    "submitted": ("待审核", "awaiting review"),
    "returned": ("已退回", "returned"),
    "published": ("已发布", "published"),
    "withdrawn": ("已撤回", "withdrawn"),
}


def header_for(attribute: str) -> str:
    from django.utils.translation import get_language

    if (get_language() or "").startswith("en"):
        return ENGLISH_HEADER[attribute]
    return CHINESE_HEADER[attribute]


class OrganisationWidget(Widget):
    """An active member by full name, short name or credit code."""

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            raise ValueError(gettext("This column must not be empty."))
        found = list(
            Organisation.objects.active()
            .filter(Q(name=text) | Q(short_name=text) | Q(credit_code=text.upper()))
            .only("pk", "name")[:2]
        )
        if len(found) != 1:
            raise ValueError(
                gettext("“%(value)s” is not one member organisation.") % {"value": text}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ServiceFieldWidget(ServiceFieldsWidget):
    """Exactly one of the twelve fields, by name (either language) or code."""

    def clean(self, value, row=None, **kwargs):
        chosen = super().clean(value, row, **kwargs)
        if len(chosen) != 1:
            raise ValueError(gettext("Name exactly one service field."))
        return chosen[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _field(attribute, widget) -> Field:
    return Field(attribute=attribute, column_name=CHINESE_HEADER[attribute], widget=widget)


class ServiceOfferingResource(resources.ModelResource):
    """The catalogue as a spreadsheet; writes go through ``services.offering_import``."""

    organisation = _field("organisation", OrganisationWidget())
    title = _field("title", TextWidget())
    field = _field("field", ServiceFieldWidget())
    summary = _field("summary", TextWidget())
    description = _field("description", TextWidget())
    audience = _field("audience", TextWidget())
    location = _field("location", TextWidget())
    availability = _field("availability", TextWidget())
    booking = _field("booking", TextWidget())
    contact_person = _field("contact_person", TextWidget())
    contact_phone = _field("contact_phone", PhoneWidget())
    contact_email = _field("contact_email", TextWidget())
    contact_visibility = _field(
        "contact_visibility", ChoiceWidget(VISIBILITY_LABELS, default="none")
    )
    capacity = _field("capacity", IntegerWidget())
    status = _field("status", ChoiceWidget(STATUS_LABELS, blank=True))

    class Meta:
        model = ServiceOffering
        fields = [attribute for attribute, _zh, _en in COLUMNS]
        import_order = [field for field in fields if field not in EXPORT_ONLY]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reset()

    def _reset(self) -> None:
        self._entries: list[services.OfferingImportEntry] = []
        self._row_results: dict[int, RowResult] = {}
        self._seen: dict[tuple, int] = {}
        self._file_headers: dict[str, str] = {}
        self._row_number = 0

    @classmethod
    def get_display_name(cls):
        return gettext("Service offerings")

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if field.attribute != "status"]

    def _check_dataset(self, dataset) -> list[str]:
        """Refuse too many rows and unknown, repeated or missing columns; return new headers."""
        if len(dataset) > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("The file has %(count)s rows; at most %(limit)s rows are imported at once."),
                code="import_too_many_rows",
                params={"count": len(dataset), "limit": MAX_IMPORT_ROWS},
            )
        renamed, unknown = [], []
        for header in list(dataset.headers or []):
            attribute = HEADER_ALIASES.get(_header_key(header))
            if attribute is None or attribute in self._file_headers:
                if _header_key(header):
                    unknown.append(str(header))
                renamed.append(str(header or ""))
                continue
            self._file_headers[attribute] = str(header).strip()
            renamed.append(CHINESE_HEADER[attribute])
        if unknown:
            raise ValidationError(
                _(
                    "Unknown or repeated columns: %(columns)s. Use the headers of the import template."
                ),
                code="import_unknown_columns",
                params={"columns": "、".join(unknown)},
            )
        for required in ("organisation", "title", "field", "summary"):
            if required not in self._file_headers:
                raise ValidationError(
                    _("The column “%(column)s” is missing."),
                    code="import_missing_column",
                    params={"column": header_for(required)},
                )
        return renamed

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number", 0)

    def after_import_row(self, row, row_result, **kwargs):
        self._row_results[kwargs.get("row_number", 0)] = row_result

    def get_instance(self, instance_loader, row):
        """By provider and title."""
        try:
            organisation = self.fields["organisation"].clean(row)
        except ValueError:
            return None
        title = TextWidget().clean(row.get(CHINESE_HEADER["title"]))
        return ServiceOffering.objects.filter(organisation=organisation, title=title).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            try:
                field.save(instance, row, is_m2m=False, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row equal to the catalogue (so a re-import writes nothing)."""
        if import_validation_errors or instance.pk is None:
            return False
        for field in self.get_import_fields():
            if field.column_name in row and field.get_value(instance) != field.get_value(original):
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors.keys(), "pinyin_search"], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.organisation_id and instance.title:
            key = (instance.organisation_id, instance.title)
            earlier = self._seen.get(key)
            if earlier:
                errors.setdefault("title", []).append(
                    ValidationError(
                        _("The same offering is already in row %(row)s of this file."),
                        code="import_duplicate_row",
                        params={"row": earlier + 1},
                    )
                )
            else:
                self._seen[key] = self._row_number
        if errors:
            raise ValidationError(self._errors_by_column(errors))

    def _errors_by_column(self, errors: dict) -> dict:
        by_column = {}
        for attribute, messages in errors.items():
            if attribute in CHINESE_HEADER:
                column = self._file_headers.get(attribute) or header_for(attribute)
            else:
                column = NON_FIELD_ERRORS
            by_column.setdefault(column, []).extend(
                messages if isinstance(messages, list) else [messages]
            )
        return by_column

    def save_instance(self, instance, is_create, row, **kwargs):
        """Nothing is written here: the row waits for the whole file to pass."""
        details = {
            field.attribute: getattr(instance, field.attribute)
            for field in self.get_import_fields()
            if field.column_name in row and field.attribute in services.DETAIL_FIELDS
        }
        self._entries.append(
            services.OfferingImportEntry(
                offering_id=instance.pk,
                organisation_id=instance.organisation_id,
                details=details,
                row_number=self._row_number,
            )
        )

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Check every row (writing nothing); then, unless a dry run, write all rows or none."""
        self._reset()
        kwargs = {k: v for k, v in kwargs.items() if k not in _OWN_IMPORT_OPTIONS}
        # Title rows above the header are skipped (core.tabular, issue 11).
        dataset = dataset_with_header(
            dataset, is_header=lambda header: _header_key(header) in HEADER_ALIASES
        )
        try:
            dataset.headers = self._check_dataset(dataset)
        except ValidationError as error:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(error))
            if raise_errors:
                raise
            return result
        result = super().import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        result.row_numbers = getattr(dataset, "row_numbers", None)
        if dry_run or result.has_errors() or result.has_validation_errors() or not self._entries:
            return result
        try:
            outcomes = services.offering_import(
                entries=self._entries, acting_user=kwargs.get("user")
            )
        except ValidationError as error:
            result.append_base_error(Error(error))
            if raise_errors:
                raise
            return result
        for outcome in outcomes:
            row_result = self._row_results.get(outcome.row_number)
            if row_result is not None:
                row_result.add_instance_info(outcome.offering)
                row_result.instance = outcome.offering
        return result

    # --- Export ------------------------------------------------------------------------

    def get_export_headers(self, selected_fields=None):
        by_column = {zh: attribute for attribute, zh, _en in COLUMNS}
        return [
            header_for(by_column[field.column_name])
            for field in self.get_export_fields(selected_fields)
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation", "field")

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


_OWN_IMPORT_OPTIONS = {"use_transactions", "rollback_on_validation_errors"}


def import_template_dataset() -> tablib.Dataset:
    """The import template: the importable headers and one fictitious example row."""
    example = {
        "organisation": "上海市静安区示例公益服务社（虚构）",
        "title": "老年人智能手机课堂（虚构示例）",
        "field": "为老服务",
        "summary": "手把手教老人用手机挂号、付款、视频通话",
        "description": "每期四课时，自带手机。",
        "audience": "60 岁以上社区居民",
        "location": "各街道社区服务中心",
        "availability": "每月第二个周三下午",
        "booking": "提前一周电话预约",
        "contact_person": "李*（虚构）",
        "contact_phone": "021-00000000",
        "contact_email": "contact@example.org",
        "contact_visibility": "电话",
        "capacity": "20",
    }
    attributes = [attribute for attribute, _zh, _en in COLUMNS if attribute not in EXPORT_ONLY]
    dataset = tablib.Dataset(headers=[header_for(attribute) for attribute in attributes])
    dataset.append([example[attribute] for attribute in attributes])
    return dataset
