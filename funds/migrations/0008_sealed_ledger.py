"""A sealed ledger: closed years are sealed, and PostgreSQL refuses changing them.

- ``closedperiod`` gains its seal (counts, debit total, digest chained to the
  previous closed year's, see ``funds.seal``); years already closed are sealed
  here as they stand.
- ``funds_posting_sealed``: a posting may only be added to an entry inserted
  in the same transaction (the entry's postings are fixed once it is posted),
  and never to an entry of a closed year.
- ``funds_*_no_truncate``: TRUNCATE of postings, entries and closed periods is
  refused (statement triggers; row triggers do not see TRUNCATE).
- ``funds_closedperiod_append_only``: a closed year is never reopened nor its
  seal changed (UPDATE and DELETE refused).

SQLite has none of these; the services and the nightly seal check cover it.
"""

from decimal import Decimal

from django.db import migrations, models

import funds.fields
from funds.seal import seal_compute

FORWARD = """
CREATE OR REPLACE FUNCTION funds_journalentry_mark_new() RETURNS trigger AS $$
BEGIN
    -- Transaction-local (and rolled back with a savepoint): the entries this
    -- transaction posted, the only ones that may still receive postings.
    PERFORM set_config('funds.new_entries',
        COALESCE(NULLIF(current_setting('funds.new_entries', true), ''), ',') || NEW.id || ',',
        true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_journalentry_mark_new
    AFTER INSERT ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_journalentry_mark_new();

CREATE OR REPLACE FUNCTION funds_posting_sealed() RETURNS trigger AS $$
DECLARE
    v_number text;
    v_fund bigint;
    v_year integer;
BEGIN
    SELECT number, fund_id, year INTO v_number, v_fund, v_year
      FROM funds_journalentry WHERE id = NEW.entry_id;
    IF EXISTS (SELECT 1 FROM funds_closedperiod WHERE fund_id = v_fund AND year = v_year) THEN
        RAISE EXCEPTION 'funds_posting_open_period: entry % is in %, a closed year; no posting may be added',
            v_number, v_year
            USING ERRCODE = 'check_violation';
    END IF;
    IF position(',' || NEW.entry_id || ',' IN
                COALESCE(current_setting('funds.new_entries', true), '')) = 0 THEN
        RAISE EXCEPTION 'funds_posting_entry_posted: entry % is already posted; its postings cannot change (post a reversing entry)',
            v_number
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_posting_sealed
    BEFORE INSERT ON funds_posting
    FOR EACH ROW EXECUTE FUNCTION funds_posting_sealed();

CREATE OR REPLACE FUNCTION funds_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_append_only: TRUNCATE of % is refused; the ledger is append-only',
        TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_posting_no_truncate
    BEFORE TRUNCATE ON funds_posting
    FOR EACH STATEMENT EXECUTE FUNCTION funds_no_truncate();

CREATE TRIGGER funds_journalentry_no_truncate
    BEFORE TRUNCATE ON funds_journalentry
    FOR EACH STATEMENT EXECUTE FUNCTION funds_no_truncate();

CREATE TRIGGER funds_closedperiod_no_truncate
    BEFORE TRUNCATE ON funds_closedperiod
    FOR EACH STATEMENT EXECUTE FUNCTION funds_no_truncate();

CREATE TRIGGER funds_closedperiod_append_only
    BEFORE UPDATE OR DELETE ON funds_closedperiod
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_closedperiod_append_only ON funds_closedperiod;
DROP TRIGGER IF EXISTS funds_closedperiod_no_truncate ON funds_closedperiod;
DROP TRIGGER IF EXISTS funds_journalentry_no_truncate ON funds_journalentry;
DROP TRIGGER IF EXISTS funds_posting_no_truncate ON funds_posting;
DROP FUNCTION IF EXISTS funds_no_truncate();
DROP TRIGGER IF EXISTS funds_posting_sealed ON funds_posting;
DROP FUNCTION IF EXISTS funds_posting_sealed();
DROP TRIGGER IF EXISTS funds_journalentry_mark_new ON funds_journalentry;
DROP FUNCTION IF EXISTS funds_journalentry_mark_new();
"""


def seal_closed_years(apps, schema_editor):
    ClosedPeriod = apps.get_model("funds", "ClosedPeriod")
    JournalEntry = apps.get_model("funds", "JournalEntry")
    Posting = apps.get_model("funds", "Posting")
    previous: dict[int, str] = {}
    for period in ClosedPeriod.objects.order_by("fund_id", "year"):
        seal = seal_compute(
            entry_model=JournalEntry,
            posting_model=Posting,
            fund_id=period.fund_id,
            year=period.year,
            previous=previous.get(period.fund_id, ""),
        )
        ClosedPeriod.objects.filter(pk=period.pk).update(
            entry_count=seal.entry_count,
            posting_count=seal.posting_count,
            debit_total=seal.debit_total,
            digest=seal.digest,
        )
        previous[period.fund_id] = seal.digest


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_partners")]

    operations = [
        migrations.AddField(
            model_name="closedperiod",
            name="debit_total",
            field=funds.fields.MoneyField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=14,
                verbose_name="debits at closing (yuan)",
            ),
        ),
        migrations.AddField(
            model_name="closedperiod",
            name="digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="seal (SHA-256)"),
        ),
        migrations.AddField(
            model_name="closedperiod",
            name="entry_count",
            field=models.PositiveIntegerField(default=0, verbose_name="entries at closing"),
        ),
        migrations.AddField(
            model_name="closedperiod",
            name="posting_count",
            field=models.PositiveIntegerField(default=0, verbose_name="postings at closing"),
        ),
        migrations.RunPython(seal_closed_years, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forward, backward, elidable=False),
    ]
