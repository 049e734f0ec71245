"""Default reminder rules (staff may edit them in the back office)."""

import datetime

from django.db import migrations

NINE = datetime.time(9, 0)

DEFAULT_RULES = [
    # subject, days before the moment (negative: after), template
    ("event_starts", 3, "notifications/email/event_starts"),
    ("event_starts", 1, "notifications/email/event_starts"),
    ("registration_closes", 2, "notifications/email/registration_closes"),
    ("inspection_due", 30, "notifications/email/inspection_due"),
    ("inspection_due", 7, "notifications/email/inspection_due"),
    ("alliance_quarter_missing", 21, "notifications/email/alliance_quarter_missing"),
    ("pledge_overdue", -1, "notifications/email/pledge_overdue"),
    ("grant_report_due", 7, "notifications/email/grant_report_due"),
]


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for subject, offset_days, template in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            subject=subject,
            offset_days=offset_days,
            defaults={"time_of_day": NINE, "template": template, "is_active": True},
        )


def remove_rules(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for subject, offset_days, _template in DEFAULT_RULES:
        ReminderRule.objects.filter(subject=subject, offset_days=offset_days).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_outbox_messages_rules_unsubscriptions")]

    operations = [migrations.RunPython(create_rules, remove_rules)]
