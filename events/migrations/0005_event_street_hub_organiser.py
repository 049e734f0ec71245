"""Street hubs organise events in their own street (``Event.hub``).

As in 0004, SQLite rebuilds ``events_event`` for the new check, so the
capacity triggers of 0002 are dropped first and made again at the end.
"""

from importlib import import_module

import django.db.models.deletion
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
        ("alliances", "0005_staff_group_permissions"),
        ("events", "0004_event_review_and_alliance_only"),
        ("federation", "0007_street_hubs_staff_recommendations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name="event",
            name="hub",
            field=models.ForeignKey(
                blank=True,
                help_text="A street hub's own event, held in its street.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="federation.streethub",
                verbose_name="organising street hub",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("hub__isnull", True),
                    models.Q(("alliance__isnull", True), ("organisation__isnull", True)),
                    _connector="OR",
                ),
                name="events_event_hub_organises_alone",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers, elidable=False),
    ]
