"""Reference data: the seven professional alliances (DOMAIN.md §3)."""

from django.db import migrations

ALLIANCES = [
    (
        "elderly",
        "为老服务联盟",
        "Elderly Services Alliance",
        "凝聚为老服务领域的社会组织，为社区长者提供助餐、陪伴、健康与文化服务，"
        "每季度为志愿者开展团队建设与技能培训。",
        "Brings together organisations serving older residents: meals, companionship, "
        "health and culture; quarterly team building and skills training for volunteers.",
    ),
    (
        "community",
        "社区服务联盟",
        "Community Services Alliance",
        "依托“月月·大篷车”等平台，为居民提供血压检测、法律咨询、首饰清洗等一站式便民服务。",
        "Runs one-stop convenience services for residents, such as blood-pressure checks, "
        "legal advice and jewellery cleaning, through the monthly caravan and other platforms.",
    ),
    (
        "youth",
        "青年志愿联盟",
        "Youth Volunteering Alliance",
        "组织青年志愿者参与社区服务，培养公益服务习惯，助力青年公益人才成长。",
        "Organises young volunteers for community service, building habits of public "
        "service and helping young public-good talent grow.",
    ),
    (
        "new-strata",
        "新的社会阶层人士联盟",
        "New Social Strata Alliance",
        "团结新的社会阶层人士，发挥专业优势参与公益扶贫、乡村振兴与基层治理。",
        "Unites people of the new social strata, whose professional skills serve poverty "
        "relief, rural revitalisation and community governance.",
    ),
    (
        "mediation",
        "社区调处联盟",
        "Community Mediation Alliance",
        "汇聚人民调解与矛盾调处力量，化解邻里纠纷，促进社区和谐。",
        "Gathers mediators and dispute-resolution services that settle neighbourhood "
        "disputes and keep communities at peace.",
    ),
    (
        "owners",
        "业委会建设联盟",
        "Owners' Committee Building Alliance",
        "支持业主委员会规范化建设，提升小区自治与共治水平。",
        "Supports owners' committees in working by the rules, raising the standard of "
        "residential self-governance.",
    ),
    (
        "philanthropy",
        "公益慈善联盟",
        "Philanthropy Alliance",
        "联合公益慈善组织与爱心企业，开展义卖、义演、捐助，支持春芽基金与公益项目。",
        "Joins charities and caring companies in charity sales, performances and "
        "donations that support the Spring Bud Fund and public-good projects.",
    ),
]


def load(apps, schema_editor):
    Alliance = apps.get_model("alliances", "Alliance")
    for position, (code, name_zh, name_en, desc_zh, desc_en) in enumerate(ALLIANCES, start=1):
        Alliance.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "description_zh": desc_zh,
                "description_en": desc_en,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("alliances", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
