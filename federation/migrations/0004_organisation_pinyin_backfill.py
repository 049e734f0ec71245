"""Fill the pinyin sort and search keys of organisations created before they existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    from federation.pinyin import pinyin_full, pinyin_search_text

    Organisation = apps.get_model("federation", "Organisation")
    for organisation in Organisation.objects.all():
        organisation.name_pinyin = pinyin_full(organisation.name)
        organisation.pinyin_search = pinyin_search_text(organisation.name, organisation.short_name)
        organisation.save(update_fields=["name_pinyin", "pinyin_search"])


class Migration(migrations.Migration):
    dependencies = [("federation", "0003_organisation_registry_history_invitations_inspections")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
