"""The reminder e-mails moved to the apps that own them (templates/<app>/email/).

Rows still pointing at the old default path follow; a template staff chose
themselves is left alone.
"""

from django.db import migrations

MOVED = {
    "notifications/email/event_starts": "events/email/event_starts",
    "notifications/email/registration_closes": "events/email/registration_closes",
    "notifications/email/alliance_quarter_missing": "events/email/alliance_quarter_missing",
    "notifications/email/inspection_due": "federation/email/inspection_due",
    "notifications/email/pledge_overdue": "funds/email/pledge_overdue",
    "notifications/email/grant_report_due": "funds/email/grant_report_due",
}


def _rename(apps, renames: dict[str, str]) -> None:
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    Message = apps.get_model("notifications", "Message")
    for old, new in renames.items():
        ReminderRule.objects.filter(template=old).update(template=new)
        # Messages still waiting render from their stored template name too.
        Message.objects.filter(template=old).update(template=new)


def forwards(apps, schema_editor):
    _rename(apps, MOVED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_kinds_and_subjects_from_the_registry")]

    operations = [migrations.RunPython(forwards, backwards)]
