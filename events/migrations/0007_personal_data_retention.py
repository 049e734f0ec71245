"""Personal data retention: ``anonymised_at`` on participants and registrations.

The unique mobile constraints ignore anonymised rows (their mobiles are cleared).
As in 0004 and 0005, the capacity triggers of 0002 are dropped first on SQLite
and made again at the end, in case a step rebuilds ``events_registration``.
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

_triggers = import_module("events.migrations.0002_registration_capacity_triggers")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


drop_sqlite_triggers = _sqlite(_triggers.SQLITE_REVERSE)
create_sqlite_triggers = _sqlite(_triggers.SQLITE_FORWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_event_kind_volunteer_shift"),
        ("federation", "0009_staff_group_outbox_and_reminder_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers, elidable=False),
        migrations.RemoveConstraint(
            model_name="participant",
            name="events_participant_unique_mobile",
        ),
        migrations.RemoveConstraint(
            model_name="registration",
            name="events_registration_unique_live_mobile",
        ),
        migrations.AddField(
            model_name="participant",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="anonymised at"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="anonymised at"
            ),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("anonymised_at__isnull", True)),
                fields=("organisation", "mobile"),
                name="events_participant_unique_mobile",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    ("anonymised_at__isnull", True),
                ),
                fields=("event", "mobile"),
                name="events_registration_unique_live_mobile",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers, elidable=False),
    ]
