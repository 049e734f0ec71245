"""The staff group 联合会工作人员 with the back-office permissions for the kernel.

Other apps add their own permissions to the same group (by name) in their own
data migrations. Organisations are never deleted (membership ends through the
lifecycle), so no delete permission on them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "联合会工作人员"

PERMISSIONS = {
    "organisation": ["view", "add", "change", "import", "export"],
    "organisationmember": ["view", "change", "delete"],
    "membershipevent": ["view"],
    "organisationchangerequest": ["view", "change"],
    "invitation": ["view"],
    "annualinspection": ["view", "add", "change"],
    "street": ["view"],
    "servicefield": ["view", "change"],
    "user": ["view"],
}


def create_group(apps, schema_editor):
    # On a fresh database the permissions are created after all migrations
    # (post_migrate); create them now so the group can be given them.
    app_config = apps.get_app_config("federation")
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
        content_type__app_label="federation", codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions missing: {sorted(missing)}")
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("federation", "0004_organisation_pinyin_backfill"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
