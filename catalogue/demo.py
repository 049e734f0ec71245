"""Demo catalogue: 145 fictitious service offerings in the twelve fields of 《百益宝藏》.

Titles come from realistic per-field lists; every description says the
offering is fictitious, contact people carry “（虚构）” and phone numbers the
made-up pattern 1390000xxxx. Providers are the demo's active members, those
serving the field first. Most are published through the staff import (one
transaction, as staff would load the handbook list); a few wait for review and
one is a draft. Idempotent: an organisation's existing title is left alone.
"""

from federation.models import Organisation, OrganisationMember, ServiceField, User

from . import services
from .models import ServiceOffering

STAFF_EMAIL = "staff@yilu.example"
ORG_ADMIN_EMAIL = "org@yilu.example"
TOTAL = 145
AWAITING_REVIEW = 5
FICTITIOUS = "本条为演示用虚构服务，机构、人员与电话均为虚构。"

TITLES = {
    "elderly-care": [
        "老年人智能手机课堂", "独居老人上门探访", "助浴助洁上门服务", "长者生日会",
        "老年防诈骗讲座", "认知症友好社区筛查", "助餐点送餐志愿服务", "银龄互助结对",
        "老年人居家适老化改造评估", "长者健步走", "老年书法班", "失能老人家属喘息服务",
        "社区长者食堂体验",
    ],
    "health": [
        "社区血压血糖检测", "口腔健康检查", "中医体质辨识", "慢病自我管理小组",
        "急救技能培训（心肺复苏与AED）", "视力筛查", "家庭药箱整理", "营养膳食讲座",
        "女性健康讲座", "居民健康档案咨询", "八段锦晨练", "控烟宣传",
    ],
    "psychological": [
        "心理疏导咨询", "青少年情绪管理工作坊", "亲子沟通沙龙", "职场减压团体辅导",
        "哀伤陪伴小组", "心理健康筛查", "老年人孤独感干预", "考前心理调适",
        "新手父母支持小组", "心理热线志愿者培训", "正念减压体验课", "家庭关系咨询",
    ],
    "youth": [
        "四点半课堂", "暑期公益托管", "青少年职业体验日", "小小志愿者培训",
        "青少年科创营", "亲子阅读会", "中学生社会实践岗位", "青少年防溺水安全课",
        "儿童自护教育", "青年社交联谊", "大学生社区实习计划", "少儿美术公益课",
    ],
    "mediation": [
        "邻里纠纷调解", "物业矛盾协调", "家庭矛盾调解", "劳动争议咨询",
        "楼道堆物协商", "噪音扰民调处", "婚姻家庭辅导", "人民调解员培训",
        "社区议事会主持", "租赁纠纷调解", "旧改协商陪伴", "消费纠纷调解",
    ],
    "legal": [
        "法律咨询", "遗嘱与继承讲座", "老年人法律援助", "合同审查指导",
        "反家暴法律宣讲", "未成年人保护法律课", "劳动合同咨询", "社区普法讲座",
        "房屋租赁法律咨询", "婚姻法律咨询", "知识产权入门讲座", "社会组织合规辅导",
    ],
    "community-governance": [
        "楼组长能力培训", "社区议事规则工作坊", "业委会换届指导", "垃圾分类督导员培训",
        "社区微更新设计工作坊", "睦邻点建设指导", "社区志愿者管理培训", "居民公约制定辅导",
        "社区基金会入门", "楼道美化行动", "社区安全巡查", "社区活动策划培训",
    ],
    "disability": [
        "助残康复训练", "残障人士就业辅导", "手语入门课", "无障碍环境评估",
        "助残出行陪伴", "智障青年日间照护体验", "盲人读书会", "残障家庭喘息服务",
        "辅具租借与咨询", "融合运动会", "残障人士手工坊", "心智障碍者社交小组",
    ],
    "culture-sports": [
        "社区合唱团", "太极拳教学", "广场舞编排", "非遗剪纸体验",
        "社区电影放映", "摄影入门课", "书画展览与交流", "沪剧沙龙",
        "乒乓球公益培训", "围棋象棋擂台", "社区读书会", "民族舞蹈班",
    ],
    "education": [
        "科普进社区", "家庭教育讲座", "老年大学体验课", "编程启蒙课",
        "天文观测活动", "人工智能科普讲座", "英语角", "财商教育课",
        "STEM 亲子实验", "消防科普体验", "防灾减灾科普", "网络安全知识讲座",
    ],
    "environment": [
        "垃圾分类宣传", "旧衣回收", "社区花园共建", "环保酵素制作",
        "节能减排讲座", "河道巡护志愿", "无塑生活工作坊", "绿色骑行活动",
        "阳台种植指导", "废旧电池回收", "社区堆肥体验", "自然观察亲子课",
    ],
    "poverty-relief": [
        "困难家庭结对帮扶", "助学金申请辅导", "对口地区农产品义卖", "爱心编织义卖",
        "许家冲村手工艺培训", "困难老人节日慰问", "爱心衣物募集", "就业技能培训",
        "春芽基金义卖市集", "爱心早餐", "困难学生学习用品捐赠", "乡村振兴直播带货培训",
    ],
}  # fmt: skip

AUDIENCES = [
    "社区居民",
    "60 岁以上老人",
    "青少年及家长",
    "辖区企业职工",
    "困难家庭",
    "残障人士及家属",
]
PLACES = ["社区服务中心", "睦邻点", "党群服务中心", "机构活动室", "街道文化活动中心"]
TIMES = [
    "每周二下午",
    "每月第一个周六上午",
    "每月第二个周三下午",
    "预约后上门",
    "工作日 9:00–17:00",
]
VISIBILITY = ["phone", "email", "none"]


def _plan() -> list[tuple[str, str]]:
    """(field code, title) for 145 offerings: the lists in turn until the total is reached."""
    plan = []
    depth = 0
    while len(plan) < TOTAL:
        for code, titles in TITLES.items():
            if depth < len(titles) and len(plan) < TOTAL:
                plan.append((code, titles[depth]))
        depth += 1
    return plan


def _providers(fields: dict[str, ServiceField]) -> dict[str, list[Organisation]]:
    members = list(Organisation.objects.active().order_by("pk").prefetch_related("service_fields"))
    by_field = {}
    for code in fields:
        serving = [o for o in members if any(f.code == code for f in o.service_fields.all())]
        by_field[code] = serving or members
    return by_field


def _details(number: int, title: str, service_field: ServiceField, organisation) -> dict:
    return {
        "title": title,
        "field": service_field,
        "summary": f"{organisation.short_name or organisation.name}开展的{title}服务（虚构示例）",
        "description": (
            f"**{title}**由{organisation.name}提供。\n\n"
            f"- 服务对象：{AUDIENCES[number % len(AUDIENCES)]}\n"
            f"- 形式：小组活动或一对一服务\n\n{FICTITIOUS}"
        ),
        "audience": AUDIENCES[number % len(AUDIENCES)],
        "location": f"{organisation.street.name_zh}{PLACES[number % len(PLACES)]}",
        "availability": TIMES[number % len(TIMES)],
        "booking": "请提前三个工作日电话或邮件预约",
        "contact_person": f"{'张王李赵陈刘'[number % 6]}老师（虚构）",
        "contact_phone": f"1390000{number:04d}",
        "contact_email": f"service{number}@demo-org.yilu.example",
        "contact_visibility": VISIBILITY[number % len(VISIBILITY)],
        "capacity": [None, 10, 20, 30][number % 4],
    }


def seed(stdout) -> None:
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    fields = {field.code: field for field in ServiceField.objects.all()}
    providers = _providers(fields)
    if staff is None or not any(providers.values()):
        stdout.write("catalogue demo: no staff or members, skipped")
        return
    demo_admin = OrganisationMember.objects.filter(
        user__email=ORG_ADMIN_EMAIL, role=OrganisationMember.Role.ADMIN
    ).first()
    existing = set(ServiceOffering.objects.values_list("organisation_id", "title"))
    to_publish, to_review, drafts = [], [], []
    for number, (code, title) in enumerate(_plan(), start=1):
        candidates = providers[code]
        organisation = candidates[number % len(candidates)]
        if number == TOTAL and demo_admin:
            organisation = demo_admin.organisation  # the demo org admin keeps a draft
        if (organisation.pk, title) in existing:
            continue
        entry = services.OfferingImportEntry(
            offering_id=None,
            organisation_id=organisation.pk,
            details=_details(number, title, fields[code], organisation),
            row_number=number,
        )
        if number == TOTAL:
            drafts.append(entry)
        elif number > TOTAL - AWAITING_REVIEW - 1:
            to_review.append(entry)
        else:
            to_publish.append(entry)
    if to_publish:
        services.offering_import(entries=to_publish, acting_user=staff)
    for entry in to_review + drafts:
        organisation = Organisation.objects.get(pk=entry.organisation_id)
        offering = services.offering_create(
            organisation=organisation, details=entry.details, acting_user=staff
        )
        if entry in to_review:
            admin = _org_admin(organisation) or staff
            services.offering_submit(offering=offering, acting_user=admin)
    stdout.write(
        f"catalogue demo: {len(to_publish)} published, {len(to_review)} awaiting review, "
        f"{len(drafts)} draft"
    )


def _org_admin(organisation: Organisation) -> User | None:
    member = (
        OrganisationMember.objects.filter(
            organisation=organisation, role=OrganisationMember.Role.ADMIN
        )
        .select_related("user")
        .first()
    )
    return member.user if member else None
