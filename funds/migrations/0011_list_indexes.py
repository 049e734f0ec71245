"""Indexes matching each fund list's filter and sort (issue 17): donations, charity sales,
pledges, bank imports, grants (staff, public, organisation) and the public gift list."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_personal_data_retention"),
        ("federation", "0009_staff_group_outbox_and_reminder_rules"),
        ("funds", "0010_closed_year_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="grant",
            name="funds_grant_fund_status",
        ),
        migrations.AddIndex(
            model_name="bankimport",
            index=models.Index(
                fields=["fund", "-imported_at", "-id"], name="funds_bankimport_fund_list"
            ),
        ),
        migrations.AddIndex(
            model_name="charitysale",
            index=models.Index(
                fields=["fund", "-received_on", "-id"], name="funds_charitysale_fund_list"
            ),
        ),
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(
                fields=["fund", "-received_on", "-id"], name="funds_donation_fund_list"
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["fund", "status", "-submitted_at", "-id"], name="funds_grant_fund_status"
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["fund", "-submitted_at", "-id"], name="funds_grant_fund_list"
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["fund", "-decided_at", "-id"], name="funds_grant_fund_decided"
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["organisation", "-submitted_at", "-id"], name="funds_grant_org_list"
            ),
        ),
        migrations.AddIndex(
            model_name="journalentry",
            index=models.Index(fields=["fund", "-entry_on", "-id"], name="funds_entry_fund_list"),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["fund", "-starts_on", "-id"], name="funds_pledge_fund_list"),
        ),
    ]
