"""The organisation resource: the dry run, the all-or-nothing write, the export."""

import copy

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Error, RowResult

from core.constraints import full_clean_batched
from core.spreadsheets import escape_formula, unescape_formula
from core.tabular_admin import dataset_with_header, spreadsheet_row

from .. import services
from ..creditcode import normalise_credit_code
from ..models import Organisation
from .widgets import (
    CHINESE_HEADER,
    COLUMNS,
    IMPORT_ONLY,
    KEEP_WHEN_BLANK,
    MAX_IMPORT_ROWS,
    PARTY_LABELS,
    RATING_LABELS,
    REGISTRATION_STATUS_LABELS,
    STATUS_LABELS,
    BooleanWidget,
    ChoiceWidget,
    CreditCodeWidget,
    DateWidget,
    IntegerWidget,
    LegalFormWidget,
    PhoneWidget,
    ServiceFieldsWidget,
    StreetWidget,
    TextWidget,
    _header_key,
    header_attribute,
    header_for,
    is_ignored_header,
)


def _field(attribute, widget, *, stored=True) -> Field:
    return Field(
        attribute=attribute if stored else None,
        column_name=CHINESE_HEADER[attribute],
        widget=widget,
        dehydrate_method=None,
    )


class OrganisationResource(resources.ModelResource):
    """The registry as a spreadsheet; writes go through ``services.organisation_import``."""

    credit_code = _field("credit_code", CreditCodeWidget())
    name = _field("name", TextWidget())
    short_name = _field("short_name", TextWidget())
    name_en = _field("name_en", TextWidget())
    legal_form = _field("legal_form", LegalFormWidget())
    status = _field("status", ChoiceWidget(STATUS_LABELS, default="active"))
    registration_status = _field(
        "registration_status", ChoiceWidget(REGISTRATION_STATUS_LABELS, default="registered")
    )
    registration_authority = _field("registration_authority", TextWidget())
    supervising_unit = _field("supervising_unit", TextWidget())
    legal_representative = _field("legal_representative", TextWidget())
    established_on = _field("established_on", DateWidget())
    certificate_valid_from = _field("certificate_valid_from", DateWidget())
    certificate_valid_to = _field("certificate_valid_to", DateWidget())
    domicile = _field("domicile", TextWidget())
    street = _field("street", StreetWidget())
    business_scope = _field("business_scope", TextWidget())
    is_charity = _field("is_charity", BooleanWidget())
    has_public_fundraising = _field("has_public_fundraising", BooleanWidget())
    rating = _field("rating", ChoiceWidget(RATING_LABELS, blank=True))
    rating_year = _field("rating_year", IntegerWidget())
    party_organisation = _field("party_organisation", ChoiceWidget(PARTY_LABELS, default="none"))
    party_member_count = _field("party_member_count", IntegerWidget(empty=0))
    service_fields = _field("service_fields", ServiceFieldsWidget(), stored=False)
    description = _field("description", TextWidget())
    contact_person = _field("contact_person", TextWidget())
    contact_phone = _field("contact_phone", PhoneWidget())
    contact_email = _field("contact_email", TextWidget())
    website = _field("website", TextWidget())
    show_contact_publicly = _field("show_contact_publicly", BooleanWidget())
    joined_on = _field("joined_on", DateWidget())
    accept_credit_code_warning = _field("accept_credit_code_warning", BooleanWidget(), stored=False)

    class Meta:
        model = Organisation
        fields = [attribute for attribute, _zh, _en in COLUMNS]
        import_order = fields
        export_order = [field for field in fields if field not in IMPORT_ONLY]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reset()

    def _reset(self) -> None:
        self._entries: list[services.OrganisationImportEntry] = []
        self._row_results: dict[int, RowResult] = {}
        self._seen: dict[str, int] = {}
        self._file_headers: dict[str, str] = {}
        self._row_number = 0
        self._dataset = None
        # Loaded once per file by _preload (the registry as the rows find it).
        self._by_code: dict[str, Organisation] = {}
        self._by_name: dict[str, Organisation] = {}
        self._originals: dict[int, Organisation] = {}
        self._taken: dict[str, dict] = {"name": {}, "credit_code": {}}
        self._import_fields = None
        for field in self.fields.values():
            if hasattr(field.widget, "reset"):
                field.widget.reset()

    def _row_key(self, row) -> tuple[str, str]:
        """The natural key of a row: its credit code and full name, as the widgets read them."""
        code = normalise_credit_code(unescape_formula(row.get(CHINESE_HEADER["credit_code"])))
        return code, TextWidget().clean(row.get(CHINESE_HEADER["name"]))

    def _preload(self, dataset) -> None:
        """The organisations the file names, the names taken, in two queries for the file."""
        self._dataset = dataset
        codes, names = set(), set()
        for values in dataset:
            code, name = self._row_key(dict(zip(dataset.headers, values, strict=False)))
            codes.add(code)
            names.add(name)
        codes.discard("")
        names.discard("")
        found = (
            Organisation.objects.filter(
                Q(credit_code__in=codes) | Q(credit_code="", name__in=names)
            )
            .select_related("street")
            .prefetch_related("service_fields")
        )
        for organisation in found:
            self._originals[organisation.pk] = organisation
            if organisation.credit_code:
                self._by_code[organisation.credit_code] = organisation
            else:
                self._by_name[organisation.name] = organisation
        self._taken = {
            "name": dict(Organisation.objects.filter(name__in=names).values_list("name", "pk")),
            "credit_code": {code: found.pk for code, found in self._by_code.items()},
        }

    def get_import_fields(self):
        """The import fields, worked out once (import-export asks again for every row)."""
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return list(self._import_fields)

    @classmethod
    def get_display_name(cls):
        return gettext("Organisations")

    # --- Import: headers and rows -------------------------------------------------

    def _check_dataset(self, dataset) -> list[str]:
        """Refuse too many rows and unknown, repeated or missing columns; return new headers."""
        if len(dataset) > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("The file has %(count)s rows; at most %(limit)s rows are imported at once."),
                code="import_too_many_rows",
                params={"count": len(dataset), "limit": MAX_IMPORT_ROWS},
            )
        renamed, unknown, duplicated = [], [], []
        for header in list(dataset.headers or []):
            attribute = header_attribute(header)
            if attribute is None:
                if _header_key(header) and not is_ignored_header(header):
                    unknown.append(str(header))
                renamed.append(str(header or ""))
                continue
            if attribute in self._file_headers:
                duplicated.append(str(header))
            self._file_headers[attribute] = str(header).strip()
            renamed.append(CHINESE_HEADER[attribute])
        if unknown or duplicated:
            raise ValidationError(
                _(
                    "Unknown or repeated columns: %(columns)s. Use the headers of the import template."
                ),
                code="import_unknown_columns",
                params={"columns": "、".join(unknown + duplicated)},
            )
        if "name" not in self._file_headers:
            raise ValidationError(
                _("The column “%(column)s” is missing."),
                code="import_missing_column",
                params={"column": header_for("name")},
            )
        return renamed

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number", 0)

    def after_import_row(self, row, row_result, **kwargs):
        self._row_results[kwargs.get("row_number", 0)] = row_result

    def get_instance(self, instance_loader, row):
        """By credit code; else by full name among organisations that have no code.

        A copy of the organisation loaded for the file: the row changes the copy,
        ``self._originals`` keeps the registry's values to compare with.
        """
        code, name = self._row_key(row)
        found = (code and self._by_code.get(code)) or (name and self._by_name.get(name))
        return copy.copy(found) if found else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        # A blank cell of a column with a default keeps an existing organisation's value.
        kept = {attribute: getattr(instance, attribute) for attribute in KEEP_WHEN_BLANK}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None and CHINESE_HEADER["status"] not in row:
            instance.status = Organisation.Status.ACTIVE  # a registry import lists members
        if instance.pk:
            for attribute, value in kept.items():
                cell = row.get(CHINESE_HEADER[attribute])
                if cell is None or not str(cell).strip():
                    setattr(instance, attribute, value)
        instance._import_service_fields = None
        instance._import_accept_warning = False
        for attribute in ("service_fields", "accept_credit_code_warning"):
            if CHINESE_HEADER[attribute] not in row:
                continue
            try:
                value = self.fields[attribute].clean(row)
            except ValueError as error:
                errors[attribute] = ValidationError(str(error), code="invalid")
                continue
            if attribute == "service_fields":
                instance._import_service_fields = value
            else:
                instance._import_accept_warning = value
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that matches the registry exactly (so a re-import writes nothing)."""
        if import_validation_errors or instance.pk is None:
            return False
        original = self._originals[instance.pk]
        for field in self.get_import_fields():
            if field.attribute is None or field.column_name not in row:
                continue
            if field.get_value(instance) != field.get_value(original):
                return False
        wanted = instance._import_service_fields
        if wanted is not None:
            current = {service_field.pk for service_field in original.service_fields.all()}
            if {service_field.pk for service_field in wanted} != current:
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = [*errors.keys(), "slug", "name_pinyin", "pinyin_search", "logo"]
        if instance.street_id in self.fields["street"].widget.street_ids():
            exclude.append("street")  # one of the streets loaded for the file: no query
        try:
            full_clean_batched(
                instance, exclude=exclude, taken=self._taken, validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self._check_rules(instance, errors)
        if errors:
            raise ValidationError(self._errors_by_column(errors))

    def _check_credit_code(self, instance: Organisation, errors: dict) -> None:
        """The service's own credit-code rules (same codes and wording as the real import).

        The check may reset ``credit_code_warning_accepted``: the row keeps its value.
        A row that accepts the position-17 warning passes the dry run; the import
        itself then checks that a staff member accepts it.
        """
        previous = self._originals[instance.pk].credit_code if instance.pk else None
        accepted = instance.credit_code_warning_accepted
        try:
            services.check_credit_code_rules(
                instance,
                previous_code=previous,
                accept_warning=False,
                confirmed_by_applicant=bool(instance._import_accept_warning),
                acting_user=None,
            )
        except ValidationError as error:
            errors.setdefault("credit_code", []).extend(error.error_dict["credit_code"])
        finally:
            instance.credit_code_warning_accepted = accepted

    def _check_rules(self, instance: Organisation, errors: dict) -> None:
        """What the service checks beyond the model: credit code rules, duplicates, status."""

        def add(attribute, message, code, params=None):
            errors.setdefault(attribute, []).append(
                ValidationError(message, code=code, params=params)
            )

        code = instance.credit_code
        if code and "credit_code" not in errors:
            self._check_credit_code(instance, errors)
        key = f"code:{code}" if code else f"name:{instance.name}"
        earlier = self._seen.get(key)
        if earlier:
            add(
                "credit_code" if code else "name",
                _("The same organisation is already in row %(row)s of this file."),
                "import_duplicate_row",
                {"row": earlier + 1},
            )
        else:
            self._seen[key] = self._row_number
        if instance.pk and instance.status != self._originals[instance.pk].status:
            add(
                "status",
                _("Change the membership status of an existing organisation in the back office."),
                "status_change",
            )

    def _errors_by_column(self, errors: dict) -> dict:
        """Key errors by the column header the user sees (as written in their file)."""
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
        details = {}
        for field in self.get_import_fields():
            if field.attribute and field.column_name in row and field.attribute != "status":
                details[field.attribute] = getattr(instance, field.attribute)
        if is_create:
            for attribute in ("legal_form", "street"):
                details.setdefault(attribute, getattr(instance, attribute, None))
        wanted = instance._import_service_fields
        self._entries.append(
            services.OrganisationImportEntry(
                organisation_id=instance.pk,
                details=details,
                service_field_ids=None if wanted is None else [field.pk for field in wanted],
                status=instance.status,
                accept_credit_code_warning=bool(instance._import_accept_warning),
                row_number=self._row_number,
                sheet_row=spreadsheet_row(self._dataset, self._row_number),
            )
        )

    def after_import(self, dataset, result, **kwargs):
        """Nothing: import-export's reset of the id sequence is for rows it inserted itself
        (the check pass inserts none; the service inserts through the sequence)."""

    def save_m2m(self, instance, row, **kwargs):
        """Service fields are written by the service with the rest of the row."""

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
        """Check every row (writing nothing); then, unless a dry run, write all rows or none."""
        self._reset()
        dataset = dataset_with_header(dataset, is_header=header_attribute)
        try:
            headers = self._check_dataset(dataset)
        except ValidationError as error:
            # Refuse the file as a whole, before looking at a single row.
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(error))
            if raise_errors:
                raise
            return result
        dataset.headers = headers
        result = self._import_checked(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            collect_failed_rows=collect_failed_rows,
            **kwargs,
        )
        # Errors name the rows a spreadsheet shows (title and blank rows counted).
        result.row_numbers = getattr(dataset, "row_numbers", None)
        return result

    def _import_checked(self, dataset, *, dry_run, raise_errors, collect_failed_rows, **kwargs):
        self._preload(dataset)
        # The preview shows each row's changes; the real import only reports them.
        self._meta = copy.copy(type(self)._meta)
        self._meta.skip_diff = not dry_run
        # The check writes nothing (save_instance collects the rows), so it needs
        # neither a transaction nor a savepoint per row: the service writes.
        result = super().import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=False,
            collect_failed_rows=collect_failed_rows,
            **kwargs,
        )
        if dry_run or result.has_errors() or result.has_validation_errors() or not self._entries:
            return result
        try:
            outcomes = services.organisation_import(
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
                row_result.add_instance_info(outcome.organisation)
                row_result.instance = outcome.organisation
        return result

    # --- Export ----------------------------------------------------------------------

    def get_export_fields(self, selected_fields=None):
        return [
            field
            for field in super().get_export_fields(selected_fields)
            if field.column_name != CHINESE_HEADER["accept_credit_code_warning"]
        ]

    def get_export_headers(self, selected_fields=None):
        by_column = {zh: attribute for attribute, zh, _en in COLUMNS}
        return [
            header_for(by_column[field.column_name])
            for field in self.get_export_fields(selected_fields)
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("street").prefetch_related("service_fields")

    def dehydrate_service_fields(self, organisation):
        return self.fields["service_fields"].widget.render(organisation.service_fields)

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


def import_error_list(result) -> list[tuple[int, str, str]]:
    """(spreadsheet row, column, reason) for every problem of an import result.

    Rows are numbered as a spreadsheet program shows them (the header is row 1,
    or lower when title or blank rows come first).
    """
    problems = []
    for error in result.base_errors:
        problems.append((0, "", " ".join(_messages(error.error))))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            for message in messages:
                problems.append((spreadsheet_row(result, invalid.number), label, str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append((spreadsheet_row(result, number), "", " ".join(_messages(error.error))))
    return problems


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


# Valid (check characters right) and owned by no demo organisation, whose codes run
# MJ000100 upwards: the template uploaded unchanged previews a new organisation.
TEMPLATE_CREDIT_CODE = "51310106MJ9990046T"


def import_template_dataset() -> tablib.Dataset:
    """The import template: every column header and one fictitious example row."""
    example = {
        # A valid code that no demo organisation has (the template imports as a new row).
        "credit_code": TEMPLATE_CREDIT_CODE,
        "name": "上海市静安区示例公益服务社（虚构）",
        "short_name": "示例公益社",
        "name_en": "Jing'an Example Public Welfare Society (fictitious)",
        "legal_form": "社会团体",
        "status": "会员",
        "registration_status": "登记",
        "registration_authority": "上海市静安区民政局",
        "supervising_unit": "",
        "legal_representative": "张*明（虚构）",
        "established_on": "2015-06-01",
        "certificate_valid_from": "2020-06-01",
        "certificate_valid_to": "2025-05-31",
        "domicile": "上海市静安区示例路 1 号（虚构）",
        "street": "江宁路街道",
        "business_scope": "为老服务、社区志愿服务",
        "is_charity": "否",
        "has_public_fundraising": "否",
        "rating": "3A",
        "rating_year": "2023",
        "party_organisation": "党支部",
        "party_member_count": "5",
        "service_fields": "为老服务、健康服务",
        "description": "示例行：导入前请删除（虚构）",
        "contact_person": "李*（虚构）",
        "contact_phone": "021-00000000",
        "contact_email": "contact@example.org",
        "website": "",
        "show_contact_publicly": "否",
        "joined_on": "2016-01-01",
        "accept_credit_code_warning": "否",
    }
    dataset = tablib.Dataset(headers=[header_for(attribute) for attribute, _zh, _en in COLUMNS])
    dataset.append([example[attribute] for attribute, _zh, _en in COLUMNS])
    return dataset
