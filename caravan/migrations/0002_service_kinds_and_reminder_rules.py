"""The seed's service kinds (staff may edit them) and the caravan's default reminder rules."""

import datetime
from decimal import Decimal

from django.db import migrations

SERVICE_KINDS = [
    # code, 中文, English, qualification, is_sale, share %
    ("blood-pressure", "血压检测", "Blood-pressure checks", "nurse", False, "100"),
    ("dental", "口腔检查", "Dental checks", "doctor", False, "100"),
    ("legal", "法律咨询", "Legal advice", "lawyer", False, "100"),
    ("counselling", "心理疏导", "Psychological counselling", "counsellor", False, "100"),
    ("brand-sale", "名品特卖", "Brand-name charity sale", "", True, "20"),
    ("jewellery", "首饰清洗", "Jewellery cleaning", "", False, "100"),
    ("fire-drill", "消防演练", "Fire drill", "", False, "100"),
    ("vegetable-basket", "爱心菜篮义卖", "Vegetable-basket sale", "", True, "100"),
]

NINE = datetime.time(9, 0)
DEFAULT_RULES = [
    # subject, days before the moment (negative: after)
    ("booth_open_slots", 14, "caravan/email/booth_open_slots"),
    ("booth_qualification_expiring", 10, "caravan/email/booth_qualification_expiring"),
    ("service_records_missing", -3, "caravan/email/service_records_missing"),
]


def create(apps, schema_editor):
    ServiceKind = apps.get_model("caravan", "ServiceKind")
    for position, (code, zh, en, qualification, is_sale, share) in enumerate(SERVICE_KINDS):
        ServiceKind.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "qualification": qualification,
                "is_sale": is_sale,
                "default_share_percent": Decimal(share),
                "position": position,
            },
        )
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for subject, offset_days, template in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            subject=subject,
            offset_days=offset_days,
            defaults={"time_of_day": NINE, "template": template, "is_active": True},
        )


def remove(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for subject, offset_days, _template in DEFAULT_RULES:
        ReminderRule.objects.filter(subject=subject, offset_days=offset_days).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("caravan", "0001_caravan_series_booths_posts_records"),
        ("notifications", "0004_reminder_templates_in_owning_apps"),
    ]

    operations = [migrations.RunPython(create, remove)]
