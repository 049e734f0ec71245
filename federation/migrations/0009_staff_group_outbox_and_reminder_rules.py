"""Give the staff group 联合会工作人员 the outbox and the reminder rules in the back office.

Staff watch failed messages and resend them (``change_message`` is the resend
permission; the outbox itself stays read-only), tune the reminder rules and see
who unsubscribed. Before this only the superuser saw them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "联合会工作人员"

PERMISSIONS = {
    "message": ["view", "change"],
    "reminderrule": ["view", "add", "change"],
    "unsubscription": ["view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="notifications", codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions missing: {sorted(missing)}")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="notifications")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("federation", "0008_the_fourteen_hubs_and_late_inspection_rule"),
        ("notifications", "0004_reminder_templates_in_owning_apps"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
