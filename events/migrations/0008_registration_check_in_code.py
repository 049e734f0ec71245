"""A short check-in code per registration, unique per event; existing ones get theirs here.

As in 0004, 0005 and 0007, the capacity triggers of 0002 are dropped first on
SQLite and made again at the end, as these steps rebuild ``events_registration``.
"""

import secrets
from importlib import import_module

from django.db import migrations, models

import events.check_in_codes

_triggers = import_module("events.migrations.0002_registration_capacity_triggers")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


drop_sqlite_triggers = _sqlite(_triggers.SQLITE_REVERSE)
create_sqlite_triggers = _sqlite(_triggers.SQLITE_FORWARD)

# Frozen copy of events.check_in_codes at the time of this migration.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 6


def backfill_codes(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    used: dict[int, set[str]] = {}
    batch = []
    for registration in Registration.objects.only("pk", "event_id").order_by("pk").iterator():
        taken = used.setdefault(registration.event_id, set())
        code = ""
        while not code or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add(code)
        registration.check_in_code = code
        batch.append(registration)
        if len(batch) >= 500:
            Registration.objects.bulk_update(batch, ["check_in_code"])
            batch = []
    Registration.objects.bulk_update(batch, ["check_in_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_personal_data_retention"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name="registration",
            name="check_in_code",
            field=models.CharField(
                default="", editable=False, max_length=8, verbose_name="check-in code"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="check_in_code",
            field=models.CharField(
                default=events.check_in_codes.check_in_code_new,
                editable=False,
                max_length=8,
                verbose_name="check-in code",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("event", "check_in_code"),
                name="events_registration_unique_check_in_code",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers, elidable=False),
    ]
