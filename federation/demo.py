"""Demo data for the kernel. Every organisation, person, phone and code here is fictitious.

About forty member organisations over the fourteen streets and all legal
forms, with credit codes that pass both checks (the five of DOMAIN.md §6
and more made with ``creditcode.make_credit_code``; all fictitious), a few
pending applications, lapsed, suspended and withdrawn members, and annual
inspections. Everything is written through the services; running it again
adds nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .creditcode import make_credit_code
from .models import STAFF_GROUP_NAME, Invitation, Organisation, ServiceField, Street

DEMO_PASSWORD = "yilu-demo-2026"
DEMO_USERS = [
    # e-mail, name, is_staff, is_superuser
    ("admin@yilu.example", "系统管理员（虚构）", True, True),
    ("staff@yilu.example", "王建华（虚构）", True, False),
    ("org@yilu.example", "李晓明（虚构）", False, False),
]
ORG_ADMIN_EMAIL = "org@yilu.example"
FICTITIOUS_NOTE = "（虚构示例机构：名称、信用代码、人员与电话均为演示用虚构数据。）"

# Codes straight from DOMAIN.md §6 (fictitious, pass both checks), by organisation number.
DOMAIN_CODES = {
    1: "52310106MJ00000261",
    2: "51310106MJ00000189",
    3: "52310106MJ0000034U",
    4: "51310108MJ0000042N",
    5: "53310000MJ0000050J",
}
CATEGORY = {"social_group": "1", "service_agency": "2", "foundation": "3"}

# number | full name | short name | legal form | street code | service fields | status | rating
_TABLE = """
1 | 上海市静安区乐龄为老服务中心（虚构） | 乐龄为老 | service_agency | 310106006 | elderly-care,health | active | 5A 2023
2 | 上海市静安区邻里和睦调解协会（虚构） | 邻里和睦 | social_group | 310106011 | mediation,legal | active | 4A 2022
3 | 上海市静安区心晴心理服务中心（虚构） | 心晴心理 | service_agency | 310106012 | psychological,health | active | 4A 2024
4 | 上海市静安区北站社区志愿者协会（虚构） | 北站志协 | social_group | 310106016 | community-governance,youth | active
5 | 上海市春晖助学基金会（虚构） | 春晖助学 | foundation | 310106013 | education,poverty-relief | active | 3A 2021
6 | 上海市静安区青苗成长服务社（虚构） | 青苗成长 | service_agency | 310106013 | youth,education | active | 3A 2023
7 | 上海市静安区曹家渡社区健康促进会（虚构） | 曹家渡健促会 | social_group | 310106014 | health,elderly-care | active
8 | 上海市静安区天目法律服务社（虚构） | 天目法律 | service_agency | 310106015 | legal,mediation | active | 3A 2022
9 | 上海市静安区宝山路助残服务中心（虚构） | 宝山路助残 | service_agency | 310106017 | disability | active | 4A 2023
10 | 上海市静安区共和新路绿色家园协会（虚构） | 绿色家园 | social_group | 310106018 | environment | active
11 | 上海市静安区大宁业委会建设指导中心（虚构） | 大宁业指 | service_agency | 310106019 | community-governance,legal | active | 3A 2024
12 | 上海市静安区彭浦新村文体协会（虚构） | 彭新文体 | social_group | 310106020 | culture-sports | active
13 | 上海市静安区临汾社区睦邻服务社（虚构） | 临汾睦邻 | service_agency | 310106021 | elderly-care,community-governance | active | 2A 2021
14 | 上海市静安区芷江西路老年协会（虚构） | 芷江老协 | social_group | 310106022 | elderly-care,culture-sports | active
15 | 上海市静安区彭浦镇乡村振兴帮扶服务社（虚构） | 彭浦帮扶 | service_agency | 310106100 | poverty-relief | active | 3A 2023
16 | 上海市静安区公益慈善促进基金会（虚构） | 公益促进 | foundation | 310106006 | poverty-relief,education | active | 4A 2024
17 | 上海市静安区科普教育服务中心（虚构） | 科普教育 | service_agency | 310106011 | education,youth | active
18 | 上海市静安区新阶层人士联谊会（虚构） | 新联会 | social_group | 310106012 | community-governance | active | 5A 2022
19 | 上海市静安区安康居家养老服务社（虚构） | 安康居家 | service_agency | 310106014 | elderly-care | active | 3A 2024
20 | 上海市静安区环保志愿服务中心（虚构） | 环保志愿 | service_agency | 310106015 | environment,youth | active
21 | 上海市静安区阳光助残基金会（虚构） | 阳光助残 | foundation | 310106016 | disability,health | active
22 | 上海市静安区口腔健康促进中心（虚构） | 口腔健促 | service_agency | 310106017 | health | active | 2A 2022
23 | 江宁路街道楼组睦邻小组（虚构） | 楼组睦邻 | community_group | 310106006 | community-governance | active
24 | 静安寺街道银发合唱团（虚构） | 银发合唱 | community_group | 310106013 | culture-sports,elderly-care | active
25 | 北站街道巾帼调解工作室（虚构） | 巾帼调解 | community_group | 310106016 | mediation | active
26 | 大宁路街道青年突击队（虚构） | 青年突击队 | community_group | 310106019 | youth | active
27 | 临汾路街道编织爱心小组（虚构） | 编织爱心 | community_group | 310106021 | poverty-relief | active
28 | 彭浦镇绿色骑行队（虚构） | 绿色骑行 | community_group | 310106100 | environment,culture-sports | active
29 | 石门二路某小区业主委员会（虚构） | 石二业委会 | other | 310106011 | community-governance | active
30 | 南京西路商圈企业志愿服务队（虚构） | 商圈志愿队 | other | 310106012 | youth,poverty-relief | active
31 | 天目西路社区文化服务有限公司（虚构） | 天目文化 | other | 310106015 | culture-sports | active
32 | 上海市静安区共和心理关爱社（虚构） | 共和心理 | service_agency | 310106018 | psychological | active
33 | 上海市静安区夕阳红艺术团（虚构） | 夕阳红 | social_group | 310106020 | culture-sports | lapsed
34 | 上海市静安区宝山路社区服务社（虚构） | 宝山路社服 | service_agency | 310106017 | community-governance | lapsed
35 | 芷江西路街道棋牌兴趣小组（虚构） | 棋牌小组 | community_group | 310106022 | culture-sports | lapsed
36 | 上海市静安区曹家渡家政服务协会（虚构） | 曹家渡家政 | social_group | 310106014 | elderly-care | suspended
37 | 上海市静安区旧改居民互助社（虚构） | 旧改互助 | service_agency | 310106019 | mediation | withdrawn
38 | 上海市静安区暖心陪诊服务中心（虚构） | 暖心陪诊 | service_agency | 310106006 | health,elderly-care | applied
39 | 上海市静安区书香阅读推广协会（虚构） | 书香阅读 | social_group | 310106013 | education,culture-sports | applied
40 | 临汾路街道亲子运动小组（虚构） | 亲子运动 | community_group | 310106021 | youth,culture-sports | applied
41 | 上海市静安区彭浦社区公益基金会（虚构） | 彭浦公益 | foundation | 310106100 | poverty-relief | applied
42 | 上海市静安区快乐学堂培训中心（虚构） | 快乐学堂 | service_agency | 310106018 | education | rejected
"""


def _organisations() -> list[tuple]:
    rows = []
    for line in _TABLE.strip().splitlines():
        number, name, short_name, legal_form, street, fields, status, *rest = (
            cell.strip() for cell in line.split("|")
        )
        rating = tuple(rest[0].split()) if rest and rest[0] else None
        if rating:
            rating = (rating[0], int(rating[1]))
        rows.append(
            (int(number), name, short_name, legal_form, street, fields.split(","), status, rating)
        )
    return rows


ORGANISATIONS = _organisations()
PARTY = ["branch", "joint_branch", "instructor", "none", "general_branch", "branch", "joint_branch"]


def _credit_code(number: int, legal_form: str, street: Street, established: datetime.date) -> str:
    if legal_form not in CATEGORY:
        return ""  # filed community groups and other bodies have none here
    if number in DOMAIN_CODES:
        return DOMAIN_CODES[number]
    if legal_form == "foundation" and number % 2:
        area = "310000"  # city-level registration
    elif street.old_district == Street.OldDistrict.ZHABEI and established.year < 2015:
        area = "310108"  # registered by the old Zhabei bureau: keeps its area code for life
    else:
        area = "310106"
    return make_credit_code(f"5{CATEGORY[legal_form]}{area}MJ{100 + number:06d}")


def _details(number, name, short_name, legal_form, street, rating) -> dict:
    established = datetime.date(2008 + number % 15, 1 + number % 12, 1 + number % 27)
    details = {
        "name": name,
        "short_name": short_name,
        "legal_form": legal_form,
        "credit_code": _credit_code(number, legal_form, street, established),
        "registration_status": (
            Organisation.RegistrationStatus.FILED
            if legal_form == "community_group"
            else Organisation.RegistrationStatus.REGISTERED
        ),
        "registration_authority": (
            "上海市民政局" if legal_form == "foundation" else "上海市静安区民政局"
        )
        if legal_form != "other"
        else "",
        "legal_representative": f"{'张王李赵陈刘'[number % 6]}*{'明华芳强静'[number % 5]}（虚构）",
        "established_on": established,
        "domicile": f"上海市静安区示例路{number}号（虚构）",
        "street": street,
        "business_scope": "为社区居民提供公益服务（虚构示例）",
        "party_organisation": PARTY[number % len(PARTY)],
        "party_member_count": (number * 3) % 17,
        "description": f"{short_name}扎根{street.name_zh}，服务社区居民。{FICTITIOUS_NOTE}",
        "contact_person": f"{'孙周吴郑'[number % 4]}*（虚构联系人）",
        "contact_phone": f"021-0000{number:04d}",  # fictitious: not a real Shanghai number
        "contact_email": f"contact{number}@demo-org.yilu.example",
        "show_contact_publicly": number % 5 == 0,
    }
    if legal_form in CATEGORY:
        details["certificate_valid_from"] = datetime.date(2021, 1, 1)
        details["certificate_valid_to"] = datetime.date(2026, 12, 31)
    if legal_form == "foundation":
        details["is_charity"] = True
        details["has_public_fundraising"] = number == 16
    if legal_form in ("social_group", "service_agency") and number % 3 == 0:
        details["supervising_unit"] = "上海市静安区民政局"
    if rating:
        details["rating"], details["rating_year"] = rating
    return details


def _users(stdout) -> dict:
    User = get_user_model()
    users = {}
    for email, name, is_staff, is_superuser in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = services.user_create_verified(
                email=email,
                password=DEMO_PASSWORD,
                name=name,
                is_staff=is_staff,
                groups=[STAFF_GROUP_NAME] if is_staff and not is_superuser else [],
            )
            if is_superuser:
                User.objects.filter(pk=user.pk).update(is_superuser=True)
        users[email] = user
    return users


# Realistic but fictitious names (marked 虚构), one per applicant by number.
APPLICANT_NAMES = ["刘海燕", "杨俊杰", "黄思远", "许丽娟", "何文斌", "马晓东", "罗佳怡", "梁振华"]


def _applicant(number: int):
    User = get_user_model()
    email = f"applicant{number}@yilu.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        name = APPLICANT_NAMES[number % len(APPLICANT_NAMES)]
        user = services.user_create_verified(
            email=email, password=DEMO_PASSWORD, name=f"{name}（虚构）"
        )
    return user


def seed(stdout) -> list[tuple[str, str]]:
    """Create the demo logins and organisations once; return (e-mail, password) pairs."""
    users = _users(stdout)
    staff = users["staff@yilu.example"]
    fields = {field.code: field for field in ServiceField.objects.all()}
    streets = {street.code: street for street in Street.objects.all()}
    last_year = timezone.localdate().year - 1
    created = 0
    for (
        number,
        name,
        short_name,
        legal_form,
        street_code,
        field_codes,
        status,
        rating,
    ) in ORGANISATIONS:
        if Organisation.objects.filter(name=name).exists():
            continue
        created += 1
        details = _details(number, name, short_name, legal_form, streets[street_code], rating)
        service_fields = [fields[code] for code in field_codes]
        if status in ("applied", "rejected"):
            organisation = services.organisation_apply(
                details=details, service_fields=service_fields, acting_user=_applicant(number)
            )
            if status == "rejected":
                services.organisation_reject(
                    organisation=organisation,
                    reason="经营性培训机构，不属于社会组织（虚构示例）",
                    acting_user=staff,
                )
            continue
        details["joined_on"] = datetime.date(2009 + number % 14, 1 + number % 12, 1)
        organisation = services.organisation_register(
            details=details,
            service_fields=service_fields,
            org_admin=users[ORG_ADMIN_EMAIL] if number == 1 else None,
            reason="演示数据（虚构）",
            acting_user=staff,
        )
        if organisation.files_annual_inspection:
            result = "qualified" if number % 7 else "basically_qualified"
            if number == 36:
                result = "unqualified"
            services.annual_inspection_record(
                organisation=organisation, year=last_year - 1, status=result, acting_user=staff
            )
            if number % 2 and status == "active":
                services.annual_inspection_record(
                    organisation=organisation, year=last_year, status="submitted", acting_user=staff
                )
        if status == "lapsed":
            services.organisation_lapse(
                organisation=organisation,
                reason="连续两年未参加年检、失联（虚构示例）",
                acting_user=staff,
            )
        elif status == "suspended":
            services.organisation_suspend(
                organisation=organisation,
                reason="年检不合格，整改期间暂停（虚构示例）",
                acting_user=staff,
            )
        elif status == "withdrawn":
            services.organisation_withdraw(
                organisation=organisation, reason="机构注销（虚构示例）", acting_user=staff
            )
    _invitation(users)
    if created:
        stdout.write(f"federation: {created} fictitious organisations")
    return [(email, DEMO_PASSWORD) for email, *_rest in DEMO_USERS]


def _invitation(users) -> None:
    """One pending invitation from the demo org admin, so the members page shows one."""
    organisation = Organisation.objects.filter(members__user=users[ORG_ADMIN_EMAIL]).first()
    if organisation is None or Invitation.objects.filter(organisation=organisation).exists():
        return
    services.invitation_create(
        organisation=organisation,
        email="colleague@yilu.example",
        role="member",
        acting_user=users[ORG_ADMIN_EMAIL],
    )
