"""Seed the Spring Bud Fund with its chart of accounts, and the fund manager / auditor groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from funds.chart import seed_spring_bud_fund
from funds.roles import AUDITOR_PERMISSIONS, FUND_AUDITORS, FUND_MANAGERS, MANAGER_PERMISSIONS


def seed_fund(apps, schema_editor):
    seed_spring_bud_fund(apps.get_model("funds", "Fund"), apps.get_model("funds", "Account"))


def seed_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make this app's now so a fresh DB has them.
    app_config = apps.get_app_config("funds")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        (FUND_MANAGERS, MANAGER_PERMISSIONS),
        (FUND_AUDITORS, AUDITOR_PERMISSIONS),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="funds", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0002_ledger_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_fund, migrations.RunPython.noop),
        migrations.RunPython(seed_groups, migrations.RunPython.noop),
    ]
