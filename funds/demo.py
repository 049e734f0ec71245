"""Demo data for the Spring Bud Fund. Every person, company code and receipt number here
that is not in DOMAIN.md §5 is fictitious (marked 虚构).

Reproduces the fund's story: the SWS charity sale of 2014 (5 days, ¥180,000 turnover,
20% = ¥36,000, the first gift), the 上海城市福祉社 monthly vegetable pledge (20 baskets,
100% of the sales to the fund) with its months received and the latest one overdue, a
few donations (anonymous ones too), a charity performance, and grants to the first
active demo organisations (approved by two people). Runs after ``federation.demo``;
without organisations it simply leaves the grants out. Idempotent: a second run
changes nothing.
"""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from federation.models import Organisation, OrganisationMember, User
from federation.services import user_create_verified

from . import services
from .chart import seed_spring_bud_fund
from .models import (
    Account,
    AcknowledgementLetter,
    CharityPerformance,
    CharitySale,
    Donation,
    Donor,
    Fund,
    Grant,
    Pledge,
)
from .roles import FUND_AUDITORS, FUND_MANAGERS

DEMO_PASSWORD = "yilu-demo-2026"
FUND_USERS = [
    # e-mail, name, role
    ("fund@yilu.example", "周丽芳（虚构）", FUND_MANAGERS),
    ("audit@yilu.example", "钱文敏（虚构）", FUND_AUDITORS),
]
CLOSE_YEARS_UP_TO = 2023

# received on, donor (kind, name, public display) or None, amount, extra fields
DONATIONS = [
    (
        datetime.date(2015, 9, 5),
        ("company", "静安示范科技有限公司（虚构）", "named"),
        "20000.00",
        {
            "channel": "bank_transfer",
            "receipt_status": "issued",
            "receipt_number": "沪慈票2015-0098（虚构）",
            "receipt_issued_on": datetime.date(2015, 9, 20),
        },
    ),
    (
        datetime.date(2019, 3, 5),
        ("individual", "陈晓明（虚构）", "named"),
        "2000.00",
        {"channel": "online", "receipt_status": "declined"},
    ),
    (
        datetime.date(2021, 9, 5),
        None,
        "1326.50",
        {"channel": "donation_box", "restricted_purpose": ""},
    ),
    (
        datetime.date(2023, 12, 5),
        ("individual", "林佳（虚构）", "anonymous"),
        "5000.00",
        {"channel": "bank_transfer", "restricted_purpose": "一线社工专业培训"},
    ),
    (
        datetime.date(2024, 6, 1),
        ("company", "静安爱心书店（虚构）", "named"),
        "4000.00",
        {"form": "in_kind", "goods_description": "儿童绘本200册（估值）", "channel": "goods"},
    ),
    (
        datetime.date(2025, 4, 18),
        ("company", "某不愿具名企业（虚构）", "anonymous"),
        "10000.00",
        {"channel": "bank_transfer"},
    ),
]
VEGETABLE_SALES = ["1860.00", "1920.00", "1780.50", "2015.00", "1890.00", "1955.50", "1830.00"]


def _user(email: str, name: str, role: str | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create_verified(email=email, password=DEMO_PASSWORD, name=name, is_staff=True)
    if role and not user.groups.filter(name=role).exists():
        services.fund_role_grant(user=user, role=role, acting_user=None)
    return user


def _donor(kind, name, display):
    donor = Donor.objects.filter(kind=kind, name=name).first()
    if donor:
        return {"donor": donor}
    return {"new_donor": services.NewDonor(kind=kind, name=name, public_display=display)}


def _sws_sale(fund: Fund, user: User) -> CharitySale:
    sale = CharitySale.objects.filter(fund=fund, starts_on=datetime.date(2014, 1, 11)).first()
    if sale:
        return sale
    who = _donor("company", "上海塞沃斯户外用品（SWS）", "named")
    return services.charity_sale_record(
        fund=fund,
        company=who.get("donor"),
        new_company=who.get("new_donor"),
        title="“春芽工程”首场爱心义卖（5天）",
        starts_on=datetime.date(2014, 1, 11),
        ends_on=datetime.date(2014, 1, 15),
        turnover=Decimal("180000.00"),
        share_percent=Decimal("20"),
        expected_proceeds=Decimal("36000.00"),
        received_on=datetime.date(2014, 1, 24),
        acting_user=user,
    )


def _donations(fund: Fund, user: User) -> list[Donation]:
    created = []
    for received_on, donor, amount, extra in DONATIONS:
        if Donation.objects.filter(fund=fund, received_on=received_on, amount=amount).exists():
            continue
        who = _donor(*donor) if donor else {}
        created.append(
            services.donation_record(
                fund=fund,
                amount=Decimal(amount),
                received_on=received_on,
                acting_user=user,
                **who,
                **extra,
            )
        )
    return created


def _performance(fund: Fund, user: User) -> None:
    title = "年年·公益节爱心义演（示例）"
    if CharityPerformance.objects.filter(fund=fund, title=title).exists():
        return
    services.charity_performance_record(
        fund=fund,
        title=title,
        performed_on=datetime.date(2018, 9, 22),
        ticket_income=Decimal("12000.00"),
        gift_income=Decimal("3000.00"),
        costs=Decimal("1500.00"),
        received_on=datetime.date(2018, 9, 28),
        acting_user=user,
    )


def _vegetable_pledge(fund: Fund, user: User, today: datetime.date) -> Pledge:
    """Monthly from nine months ago: every month received except the latest one due."""
    description = "每月20筐城市超市专供生蔬，送至武定路翰林府邸，志愿者义卖所得100%进入春芽基金"
    pledge = Pledge.objects.filter(fund=fund, description=description).first()
    if pledge is None:
        starts_on = (today - relativedelta(months=8)).replace(day=10)
        pledge = services.pledge_create(
            fund=fund,
            **_donor("company", "上海城市福祉社", "named"),
            description=description,
            income_kind=Pledge.IncomeKind.CHARITY_SALE,
            share_percent=Decimal("100"),
            starts_on=starts_on,
            instalment_count=12,
            acting_user=user,
        )
    due = list(pledge.instalments.filter(due_on__lt=today).order_by("sequence"))
    for index, instalment in enumerate(due[:-1]):  # the latest month stays overdue
        if instalment.status != "due":
            continue
        services.pledge_instalment_receive(
            instalment=instalment,
            amount=Decimal(VEGETABLE_SALES[index % len(VEGETABLE_SALES)]),
            received_on=min(instalment.due_on + datetime.timedelta(days=3), today),
            bank_reference=f"DEMO-VEG-{instalment.due_on:%Y%m}（虚构）",
            acting_user=user,
        )
    return pledge


def _letters(fund: Fund, user: User, sale: CharitySale) -> None:
    if not AcknowledgementLetter.objects.filter(charity_sale=sale).exists():
        services.acknowledgement_letter_issue(charity_sale=sale, acting_user=user)
    first = Donation.objects.filter(fund=fund, received_on=DONATIONS[0][0]).first()
    if first and not AcknowledgementLetter.objects.filter(donation=first).exists():
        services.acknowledgement_letter_issue(donation=first, acting_user=user)


def _grant_plans(today) -> list[dict]:
    """Three demo grants: one paid, one approved and unpaid, one waiting for review."""
    return [
        {
            "kind": Grant.Kind.TALENT,
            "purpose": Grant.Purpose.STAFF_DEVELOPMENT,
            "title": "一线社工督导能力进修（示例）",
            "description": "资助一线青年社工参加为期三个月的专业督导培训。",
            "beneficiary_name": "刘思远（虚构）",
            "beneficiary_role": "一线社工",
            "amount": "6000.00",
            "starts": today - relativedelta(months=1),
            "ends": today + relativedelta(months=2),
            "pay": True,
        },
        {
            "kind": Grant.Kind.PROJECT,
            "purpose": Grant.Purpose.COMMUNITY_PROJECT,
            "title": "睦邻微更新志愿服务项目（示例）",
            "description": "组织志愿者参与社区公共空间微更新，为期一年。",
            "beneficiary_name": "",
            "beneficiary_role": "",
            "amount": "15000.00",
            "starts": today - relativedelta(months=8),
            "ends": today + relativedelta(months=4),
            "pay": False,
        },
        {
            "kind": Grant.Kind.TALENT,
            "purpose": Grant.Purpose.TRAINING,
            "title": "青年志愿者骨干培训（示例，待审）",
            "description": "资助两名志愿者骨干参加区级培训。",
            "beneficiary_name": "黄小雨（虚构）",
            "beneficiary_role": "志愿者骨干",
            "amount": "2000.00",
            "starts": today + relativedelta(months=1),
            "ends": today + relativedelta(months=2),
            "pay": None,  # left waiting for review
        },
    ]


def _grants(fund: Fund, entering: User, approvers: list[User], today, stdout) -> None:
    organisations = list(Organisation.objects.active().order_by("name")[:2])
    if not organisations or len(approvers) < 2:
        stdout.write("  funds: no active organisation or approvers; demo grants left out.")
        return
    plans = _grant_plans(today)
    for index, plan in enumerate(plans):
        organisation = organisations[index % len(organisations)]
        if Grant.objects.filter(organisation=organisation, title=plan["title"]).exists():
            continue
        admin = (
            OrganisationMember.objects.filter(organisation=organisation, role="admin")
            .exclude(user__in=approvers)
            .select_related("user")
            .first()
        )
        fields = {
            "fund": fund,
            "organisation": organisation,
            "kind": plan["kind"],
            "purpose": plan["purpose"],
            "title": plan["title"],
            "description": plan["description"],
            "beneficiary_name": plan["beneficiary_name"],
            "beneficiary_role": plan["beneficiary_role"],
            "amount_requested": Decimal(plan["amount"]),
            "project_starts_on": plan["starts"],
            "project_ends_on": plan["ends"],
        }
        if admin:
            grant = services.grant_apply(acting_user=admin.user, **fields)
        else:
            grant = services.grant_enter(acting_user=entering, **fields)
        if plan["pay"] is None:
            continue
        services.grant_review(
            grant=grant,
            amount_approved=Decimal(plan["amount"]),
            report_due_on=plan["ends"] + relativedelta(months=1),
            note="材料齐全，符合春芽基金资助范围。",
            acting_user=approvers[0],
        )
        for approver in approvers[:2]:
            services.grant_approve(grant=grant, acting_user=approver)
        grant.refresh_from_db()
        if plan["pay"]:
            services.grant_pay(
                grant=grant,
                paid_on=today,
                bank_reference=f"DEMO-GRANT-{grant.pk}（虚构）",
                acting_user=entering,
            )
        quarters = grant.quarter_ends(today)
        if grant.is_long_running and quarters:
            services.grant_progress_submit(
                grant=grant,
                quarter_ends_on=quarters[0],
                summary="完成社区需求调研与两次居民议事会，招募志愿者32名。（示例）",
                spent_amount=Decimal("3200.00"),
                acting_user=admin.user if admin else entering,
            )


def seed(stdout) -> None:
    today = timezone.localdate()
    fund = seed_spring_bud_fund(Fund, Account)
    fund_user, _auditor = (_user(email, name, role) for email, name, role in FUND_USERS)
    approvers = [
        user
        for user in User.objects.filter(
            email__in=["admin@yilu.example", "staff@yilu.example"], is_active=True
        ).order_by("email")
    ]
    for user in approvers:
        if not user.is_superuser:
            _user(user.email, user.name, FUND_MANAGERS)

    sale = _sws_sale(fund, fund_user)
    _donations(fund, fund_user)
    _performance(fund, fund_user)
    _vegetable_pledge(fund, fund_user, today)
    _letters(fund, fund_user, sale)
    _grants(fund, fund_user, approvers, today, stdout)
    for year in range(2014, CLOSE_YEARS_UP_TO + 1):
        if not fund.closed_periods.filter(year=year).exists():
            services.period_close(fund=fund, year=year, acting_user=fund_user)
    stdout.write(
        "  funds: Spring Bud Fund demo ready; fund manager fund@yilu.example and auditor "
        f"audit@yilu.example (password {DEMO_PASSWORD})."
    )
