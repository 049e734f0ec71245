"""Reference data: Jing'an's 14 streets/towns and the 12 service fields."""

from django.db import migrations

STREETS = [
    # code, Chinese, English, kind, old district (DOMAIN.md §2)
    ("310106006", "江宁路街道", "Jiangning Road Subdistrict", "subdistrict", "jingan"),
    ("310106011", "石门二路街道", "Shimen No.2 Road Subdistrict", "subdistrict", "jingan"),
    ("310106012", "南京西路街道", "West Nanjing Road Subdistrict", "subdistrict", "jingan"),
    ("310106013", "静安寺街道", "Jing'an Temple Subdistrict", "subdistrict", "jingan"),
    ("310106014", "曹家渡街道", "Caojiadu Subdistrict", "subdistrict", "jingan"),
    ("310106015", "天目西路街道", "West Tianmu Road Subdistrict", "subdistrict", "zhabei"),
    ("310106016", "北站街道", "Beizhan Subdistrict", "subdistrict", "zhabei"),
    ("310106017", "宝山路街道", "Baoshan Road Subdistrict", "subdistrict", "zhabei"),
    ("310106018", "共和新路街道", "Gonghexin Road Subdistrict", "subdistrict", "zhabei"),
    ("310106019", "大宁路街道", "Daning Road Subdistrict", "subdistrict", "zhabei"),
    ("310106020", "彭浦新村街道", "Pengpu Xincun Subdistrict", "subdistrict", "zhabei"),
    ("310106021", "临汾路街道", "Linfen Road Subdistrict", "subdistrict", "zhabei"),
    ("310106022", "芷江西路街道", "West Zhijiang Road Subdistrict", "subdistrict", "zhabei"),
    ("310106100", "彭浦镇", "Pengpu Town", "town", "zhabei"),
]

SERVICE_FIELDS = [
    # code, Chinese, English: the twelve fields of the 《百益宝藏》 handbook
    ("elderly-care", "为老服务", "Elderly care"),
    ("health", "健康服务", "Health services"),
    ("psychological", "心理服务", "Psychological services"),
    ("youth", "青少年成长", "Youth growth"),
    ("mediation", "矛盾调处", "Dispute mediation"),
    ("legal", "法律服务", "Legal aid"),
    ("community-governance", "社区治理", "Community governance"),
    ("disability", "助残服务", "Disability support"),
    ("culture-sports", "文化体育", "Culture and sports"),
    ("education", "科技教育", "Science and education"),
    ("environment", "环境保护", "Environmental protection"),
    ("poverty-relief", "扶贫帮困", "Poverty relief and rural revitalisation"),
]


def load(apps, schema_editor):
    Street = apps.get_model("federation", "Street")
    ServiceField = apps.get_model("federation", "ServiceField")
    for code, name_zh, name_en, kind, old in STREETS:
        Street.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "old_district": old},
        )
    for position, (code, name_zh, name_en) in enumerate(SERVICE_FIELDS, start=1):
        ServiceField.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("federation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
