"""The newest entry of a fund by an index ("last updated" on /fund/), not a MAX over all."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0011_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="journalentry",
            index=models.Index(fields=["fund", "-posted_at"], name="funds_entry_fund_posted"),
        ),
    ]
