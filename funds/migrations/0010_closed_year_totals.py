"""Closed-year totals, and postings without a default ordering.

- ``Posting`` loses ``ordering = ["entry", "pk"]``: it joined the entry and fund
  tables into every grouped sum; lists order explicitly.
- ``ClosedYearTotal``: each account's debit and credit totals of a closed year,
  written by ``period_close`` (see ``funds.totals``). Years closed before this
  migration get theirs here, computed from their postings.
- On PostgreSQL the rows are append-only like the ledger: UPDATE, DELETE and
  TRUNCATE are refused (the functions of migrations 0002 and 0008).
"""

import datetime
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

import funds.fields

FORWARD = """
CREATE TRIGGER funds_closedyeartotal_append_only
    BEFORE UPDATE OR DELETE ON funds_closedyeartotal
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();
CREATE TRIGGER funds_closedyeartotal_no_truncate
    BEFORE TRUNCATE ON funds_closedyeartotal
    FOR EACH STATEMENT EXECUTE FUNCTION funds_no_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_closedyeartotal_no_truncate ON funds_closedyeartotal;
DROP TRIGGER IF EXISTS funds_closedyeartotal_append_only ON funds_closedyeartotal;
"""

ZERO = Decimal("0.00")


def store_closed_years(apps, schema_editor):
    ClosedPeriod = apps.get_model("funds", "ClosedPeriod")
    ClosedYearTotal = apps.get_model("funds", "ClosedYearTotal")
    Posting = apps.get_model("funds", "Posting")
    for period in ClosedPeriod.objects.order_by("fund_id", "year"):
        rows = (
            Posting.objects.filter(
                account__fund_id=period.fund_id,
                entry_on__gte=datetime.date(period.year, 1, 1),
                entry_on__lte=datetime.date(period.year, 12, 31),
            )
            .order_by()
            .values("account_id")
            .annotate(
                debit=Coalesce(Sum("amount", filter=Q(side="debit")), ZERO),
                credit=Coalesce(Sum("amount", filter=Q(side="credit")), ZERO),
            )
        )
        ClosedYearTotal.objects.bulk_create(
            ClosedYearTotal(
                fund_id=period.fund_id,
                year=period.year,
                account_id=row["account_id"],
                debit=row["debit"],
                credit=row["credit"],
            )
            for row in rows
        )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0009_grant_attachments_private_storage"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="posting",
            options={"verbose_name": "posting", "verbose_name_plural": "postings"},
        ),
        migrations.CreateModel(
            name="ClosedYearTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "debit",
                    funds.fields.MoneyField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=14,
                        verbose_name="debits (yuan)",
                    ),
                ),
                (
                    "credit",
                    funds.fields.MoneyField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=14,
                        verbose_name="credits (yuan)",
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="funds.account",
                        verbose_name="account",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="funds.fund",
                        verbose_name="fund",
                    ),
                ),
            ],
            options={
                "verbose_name": "closed-year total",
                "verbose_name_plural": "closed-year totals",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("fund", "year", "account"), name="funds_closedyeartotal_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(store_closed_years, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forward, backward, elidable=False),
    ]
