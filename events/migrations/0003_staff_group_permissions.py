"""Give the federation staff group 联合会工作人员 the back-office permissions for events.

Registrations and participants change only through the services (admin
actions, check-in pages), so no add/delete on them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "联合会工作人员"

PERMISSIONS = {
    "event": ["view", "add", "change", "delete"],
    "registration": ["view", "change"],
    "participant": ["view"],
}


def grant(apps, schema_editor):
    # On a fresh database permissions are only made after all migrations: make them now.
    app_config = apps.get_app_config("events")
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
        content_type__app_label="events", codename__in=codenames
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
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="events"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("federation", "0005_staff_group"),
        ("events", "0002_registration_capacity_triggers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
