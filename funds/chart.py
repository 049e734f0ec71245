"""The Spring Bud Fund and its chart of accounts: data for migration 0003 (and tests)."""

import datetime

SPRING_BUD_FUND = {
    "code": "SBF",
    "name_zh": "春芽基金",
    "name_en": "Spring Bud Fund",
    "custodian": "上海市慈善基金会静安区代表处",
    "established_on": datetime.date(2014, 1, 1),
    "story_zh": (
        "2014年，由上海市静安区社会组织联合会和上海静安幸福益站志愿服务中心发起，"
        "在上海市慈善基金会静安区代表处捐资设立上海首个社会组织人才发展专项基金——春芽基金。"
        "基金通过企业爱心义卖、义演、捐助等形式，为区域内社会组织一线青年工作人员、"
        "志愿者及公益项目提供物资和精神支持，促进社会组织健康成长。"
        "首笔善款来自上海塞沃斯户外用品（SWS）：首场5天爱心义卖营业额的20%，即3.6万元。"
    ),
    "story_en": (
        "In 2014 the federation and the Jing'an Happiness Station Volunteer Service Centre set up "
        "the Spring Bud Fund at the Shanghai Charity Foundation's Jing'an office: Shanghai's "
        "first talent-development fund for social organisations. Corporate charity sales, "
        "charity performances and donations support frontline young staff, volunteers and "
        "public-good projects of member organisations. The first gift came from the outdoor "
        "retailer SWS: 20% of its first five days' charity-sale turnover, ¥36,000."
    ),
}

# code, Chinese name, English name, kind, role
CHART_OF_ACCOUNTS = [
    ("1001", "托管资金（慈善基金会代表处）", "Cash held by the custodian", "asset", "cash"),
    ("1101", "应收认捐款", "Pledges receivable", "asset", "pledges_receivable"),
    ("1201", "受赠实物", "In-kind goods", "asset", "in_kind_goods"),
    ("2101", "应付资助款", "Grants payable", "liability", "grants_payable"),
    ("3001", "期初基金余额", "Opening balance", "equity", "opening_balance"),
    ("4101", "捐赠收入", "Donation income", "income", "donation_income"),
    ("4102", "义卖收入", "Charity sale income", "income", "charity_sale_income"),
    ("4103", "义演收入", "Charity performance income", "income", "performance_income"),
    ("5101", "人才资助支出", "Talent grants", "expense", "talent_grant_expense"),
    ("5102", "项目资助支出", "Project grants", "expense", "project_grant_expense"),
    ("5201", "手续费及其他费用", "Fees and other costs", "expense", "fee_expense"),
]


def seed_spring_bud_fund(Fund, Account):
    """Create the fund and its chart if missing (model classes from apps or the real ones)."""
    defaults = {k: v for k, v in SPRING_BUD_FUND.items() if k != "code"}
    fund, _created = Fund.objects.get_or_create(code=SPRING_BUD_FUND["code"], defaults=defaults)
    for code, name_zh, name_en, kind, role in CHART_OF_ACCOUNTS:
        Account.objects.get_or_create(
            fund=fund,
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "role": role},
        )
    return fund
