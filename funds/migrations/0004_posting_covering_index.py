"""On PostgreSQL, make the postings' (account, date) index covering: side and amount are
included, so a fund's balance and a year's report are index-only scans even at a million
postings. The index keeps its name, so Django's model state is unchanged."""

from django.db import migrations

FORWARD = """
DROP INDEX IF EXISTS funds_posting_account_date;
CREATE INDEX funds_posting_account_date ON funds_posting (account_id, entry_on) INCLUDE (side, amount);
"""
BACKWARD = """
DROP INDEX IF EXISTS funds_posting_account_date;
CREATE INDEX funds_posting_account_date ON funds_posting (account_id, entry_on);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_spring_bud_fund_and_roles")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
