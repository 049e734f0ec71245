"""Reference data: one hub per street (the "14" of 1+14+X), and the default rule
that tells hub staff about their street's late annual inspections."""

import datetime

from django.db import migrations

HUB_SUFFIX = "社区社会组织联合会"
# subject, days before the moment (negative: after), template
LATE_RULES = [
    ("hub_inspection_late", -1, "federation/email/hub_inspection_late"),
    ("hub_inspection_late", -14, "federation/email/hub_inspection_late"),
]


def forwards(apps, schema_editor):
    Street = apps.get_model("federation", "Street")
    StreetHub = apps.get_model("federation", "StreetHub")
    for street in Street.objects.order_by("code"):
        StreetHub.objects.get_or_create(
            street=street, defaults={"name": f"{street.name_zh}{HUB_SUFFIX}"}
        )
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for subject, offset_days, template in LATE_RULES:
        ReminderRule.objects.get_or_create(
            subject=subject,
            offset_days=offset_days,
            defaults={"time_of_day": datetime.time(9, 0), "template": template},
        )


def backwards(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    ReminderRule.objects.filter(subject="hub_inspection_late").delete()
    apps.get_model("federation", "StreetHub").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0007_street_hubs_staff_recommendations"),
        ("notifications", "0004_reminder_templates_in_owning_apps"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
