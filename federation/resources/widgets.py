"""Columns, headers and cell widgets of the registry spreadsheet (see the package docstring)."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, gettext
from import_export.widgets import Widget

from core.spreadsheets import unescape_formula
from core.tabular import clean_cell, normalise_text, parse_date

from ..creditcode import normalise_credit_code
from ..models import Organisation, ServiceField, Street
from ..validators import normalise_phone

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 2000

# attribute, Chinese header, English header
COLUMNS = [
    ("credit_code", "统一社会信用代码", "Credit code"),
    ("name", "机构全称", "Full name"),
    ("short_name", "简称", "Short name"),
    ("name_en", "英文名称", "English name"),
    ("legal_form", "法律形式", "Legal form"),
    ("status", "会员状态", "Membership status"),
    ("registration_status", "登记状态", "Registration status"),
    ("registration_authority", "登记管理机关", "Registration authority"),
    ("supervising_unit", "业务主管单位", "Supervising unit"),
    ("legal_representative", "法定代表人", "Legal representative"),
    ("established_on", "成立日期", "Established on"),
    ("certificate_valid_from", "证书有效期起", "Certificate valid from"),
    ("certificate_valid_to", "证书有效期止", "Certificate valid to"),
    ("domicile", "住所", "Domicile"),
    ("street", "所属街道", "Street or town"),
    ("business_scope", "业务范围", "Business scope"),
    ("is_charity", "慈善组织", "Charity organisation"),
    ("has_public_fundraising", "公开募捐资格", "Public fundraising"),
    ("rating", "评估等级", "Rating"),
    ("rating_year", "评估年度", "Rating year"),
    ("party_organisation", "党组织情况", "Party organisation"),
    ("party_member_count", "党员人数", "Party member count"),
    ("service_fields", "服务领域", "Service fields"),
    ("description", "机构简介", "Description"),
    ("contact_person", "联系人", "Contact person"),
    ("contact_phone", "联系电话", "Contact phone"),
    ("contact_email", "联系邮箱", "Contact e-mail"),
    ("website", "网站", "Website"),
    ("show_contact_publicly", "公开联系方式", "Show contact publicly"),
    ("joined_on", "入会日期", "Joined on"),
    ("accept_credit_code_warning", "确认信用代码校验警告", "Accept credit code warning"),
]
CHINESE_HEADER = {attribute: zh for attribute, zh, _en in COLUMNS}
ENGLISH_HEADER = {attribute: en for attribute, _zh, en in COLUMNS}
IMPORT_ONLY = {"accept_credit_code_warning"}
KEEP_WHEN_BLANK = ("status", "registration_status", "party_organisation")


def _header_key(value) -> str:
    text = normalise_text(value).lower()
    return re.sub(r"[\s_\-*:：()]+", "", text)


def header_attribute(header) -> str | None:
    """The column a header names: as written, or without a bracketed note

    (``统一社会信用代码（18位）``, ``联系电话（手机）``).
    """
    attribute = HEADER_ALIASES.get(_header_key(header))
    if attribute is None:
        bare = re.sub(r"\([^)]*\)", "", normalise_text(header))
        attribute = HEADER_ALIASES.get(_header_key(bare))
    return attribute


def is_ignored_header(header) -> bool:
    """A column people add that the import ignores (a running number)."""
    return _header_key(header) in IGNORED_HEADERS


HEADER_ALIASES = {}
for _attribute, _zh, _en in COLUMNS:
    for _alias in (_attribute, _zh, _en):
        HEADER_ALIASES[_header_key(_alias)] = _attribute
HEADER_ALIASES.update(
    {
        _header_key(alias): attribute
        for alias, attribute in [
            ("信用代码", "credit_code"),
            ("全称", "name"),
            ("名称", "name"),
            ("机构名称", "name"),
            ("街道", "street"),
            ("街道(镇)", "street"),
            ("所属街道(镇)", "street"),
            ("简介", "description"),
            ("电子邮箱", "contact_email"),
            ("状态", "status"),
            # As office spreadsheets spell them (issue 11).
            ("单位名称", "name"),
            ("社会组织名称", "name"),
            ("组织名称", "name"),
            ("成立时间", "established_on"),
            ("法人代表", "legal_representative"),
            ("法人", "legal_representative"),
            ("联系方式", "contact_phone"),
            ("手机", "contact_phone"),
            ("手机号", "contact_phone"),
            ("电话", "contact_phone"),
            ("所属街镇", "street"),
            ("街镇", "street"),
            ("邮箱", "contact_email"),
            ("备注", "description"),
            ("登记机关", "registration_authority"),
            ("入会时间", "joined_on"),
        ]
    }
)


IGNORED_HEADERS = {_header_key(header) for header in ("序号", "编号", "No.", "#")}


def header_for(attribute: str) -> str:
    """The column header in the active language."""
    if (get_language() or "").startswith("en"):
        return ENGLISH_HEADER[attribute]
    return CHINESE_HEADER[attribute]


def _is_english() -> bool:
    return (get_language() or "").startswith("en")


# --- Widgets -------------------------------------------------------------------------


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_cell(str(unescape_formula(value)))


class CreditCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_credit_code(super().clean(value, row, **kwargs))


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_phone(super().clean(value, row, **kwargs))


class ChoiceWidget(Widget):
    """Choices by code, Chinese label or English label; rendered in the active language."""

    def __init__(self, labels: dict[str, tuple[str, str]], *, blank: bool = False, default=None):
        super().__init__()
        self.labels = labels
        self.blank = blank
        self.default = default
        self.lookup = {}
        for code, (zh, en) in labels.items():
            for alias in (code, zh, en):
                self.lookup[_header_key(alias)] = code

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            if self.blank:
                return ""
            if self.default is not None:
                return self.default
            raise ValueError(gettext("This column must not be empty."))
        code = self.lookup.get(_header_key(text))
        if code is None:
            options = "、".join(zh for zh, _en in self.labels.values())
            raise ValueError(
                gettext("“%(value)s” is not one of: %(options)s.")
                % {"value": text, "options": options}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        zh, en = self.labels.get(value, (value, value))
        return en if _is_english() else zh


class BooleanWidget(Widget):
    TRUE = {"是", "有", "yes", "y", "true", "1", "√", "✓", "x"}
    FALSE = {"否", "无", "no", "n", "false", "0", "×", ""}

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(gettext("Write 是 or 否 (yes or no)."))

    def render(self, value, obj=None, **kwargs):
        if _is_english():
            return "yes" if value else "no"
        return "是" if value else "否"


class DateWidget(Widget):
    """Dates as people write them (``core.tabular.parse_date``); impossible ones named."""

    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class IntegerWidget(Widget):
    def __init__(self, *, empty=None):
        super().__init__()
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.empty
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(gettext("Write a whole number.")) from exc
        if number != number.to_integral_value() or number < 0:
            raise ValueError(gettext("Write a whole number."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class StreetWidget(Widget):
    """A street by code, Chinese name (with or without 街道/镇) or English name.

    The streets are read once per import (``reset`` forgets them), not once per row.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reset()

    def reset(self) -> None:
        self._by_alias: dict[str, Street] | None = None
        self._ids: set[int] | None = None

    def _aliases(self) -> dict[str, Street]:
        if self._by_alias is None:
            self._by_alias = {}
            for street in _streets():
                aliases = {
                    street.code,
                    street.name_zh,
                    street.name_zh.removesuffix("街道"),
                    street.name_en,
                    street.name_en.removesuffix(" Subdistrict"),
                }
                for alias in aliases:
                    self._by_alias.setdefault(_header_key(alias), street)
        return self._by_alias

    def street_ids(self) -> set[int]:
        """The primary keys of the streets read for this import."""
        if self._ids is None:
            self._ids = {street.pk for street in self._aliases().values()}
        return self._ids

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            raise ValueError(gettext("This column must not be empty."))
        street = self._aliases().get(_header_key(text))
        if street is None:
            raise ValueError(
                gettext("“%(value)s” is not one of the 14 streets and towns.") % {"value": text}
            )
        return street

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _streets() -> list[Street]:
    return list(Street.objects.all())


class ServiceFieldsWidget(Widget):
    """Service fields separated by 、 , ; or |, by name (either language) or code."""

    SEPARATORS = re.compile(r"[、,，;；|/\n]+")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reset()

    def reset(self) -> None:
        """Forget the service fields read (once per import, not once per row)."""
        self._by_alias: dict[str, ServiceField] | None = None

    def _known(self) -> dict[str, ServiceField]:
        if self._by_alias is None:
            self._by_alias = {}
            for service_field in ServiceField.objects.all():
                for alias in (service_field.code, service_field.name_zh, service_field.name_en):
                    self._by_alias[_header_key(alias)] = service_field
        return self._by_alias

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return []
        known = self._known()
        chosen, unknown = [], []
        for part in self.SEPARATORS.split(text):
            if not part.strip():
                continue
            service_field = known.get(_header_key(part))
            if service_field is None:
                unknown.append(part.strip())
            elif service_field not in chosen:
                chosen.append(service_field)
        if unknown:
            raise ValueError(
                gettext("Unknown service field: %(names)s.") % {"names": "、".join(unknown)}
            )
        return chosen

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "、".join(service_field.name for service_field in value.all())


LEGAL_FORM_LABELS = {
    "social_group": ("社会团体", "social group"),
    "service_agency": ("社会服务机构", "social service agency"),
    "foundation": ("基金会", "foundation"),
    "community_group": ("备案社区社会组织", "filed community group"),
    "other": ("其他", "other"),
}
LEGAL_FORM_ALIASES = {
    "民办非企业单位": "service_agency",
    "民非": "service_agency",
    "社团": "social_group",
}
STATUS_LABELS = {
    "applied": ("申请中", "applied"),
    "active": ("会员", "active"),
    "suspended": ("暂停", "suspended"),
    "lapsed": ("失效", "lapsed"),
    "withdrawn": ("退出", "withdrawn"),
    "rejected": ("未通过", "rejected"),
}
REGISTRATION_STATUS_LABELS = {
    "registered": ("登记", "registered"),
    "filed": ("备案", "filed"),
    "preparing": ("筹备", "in preparation"),
}
PARTY_LABELS = {
    "committee": ("党委", "Party committee"),
    "general_branch": ("党总支", "general Party branch"),
    "branch": ("党支部", "Party branch"),
    "joint_branch": ("联合党支部", "joint Party branch"),
    "instructor": ("党建指导员或联络员", "Party-building instructor or liaison"),
    "none": ("无", "none"),
}
RATING_LABELS = {code: (code, code) for code in Organisation.Rating.values}


class LegalFormWidget(ChoiceWidget):
    def __init__(self):
        super().__init__(LEGAL_FORM_LABELS)
        for alias, code in LEGAL_FORM_ALIASES.items():
            self.lookup[_header_key(alias)] = code
