"""Member organisations' events go through staff review; alliance-only trainings.

Additive columns and checks. SQLite rebuilds ``events_event`` to add them, and
refuses while the capacity triggers of migration 0002 name that table: they
are dropped first and made again at the end (PostgreSQL keeps them as they are).
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
        ("events", "0003_staff_group_permissions"),
        ("federation", "0006_credit_code_taken_error_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name="event",
            name="is_alliance_only",
            field=models.BooleanField(
                default=False,
                help_text="Only the organising alliance's member organisations may register.",
                verbose_name="alliance members only",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="review_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason for returning"),
        ),
        migrations.AddField(
            model_name="event",
            name="review_state",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "not submitted"),
                    ("submitted", "awaiting review"),
                    ("returned", "returned for changes"),
                    ("approved", "approved"),
                ],
                default="",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
        ),
        migrations.AddField(
            model_name="event",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="submitted for review at"
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_alliance_only", False), ("alliance__isnull", False), _connector="OR"
                ),
                name="events_event_alliance_only_has_alliance",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_state", "returned"), _negated=True),
                    models.Q(("review_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="events_event_returned_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_state", "submitted"), _negated=True),
                    ("status", "draft"),
                    _connector="OR",
                ),
                name="events_event_submitted_is_draft",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers, elidable=False),
    ]
