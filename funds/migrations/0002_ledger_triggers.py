"""PostgreSQL triggers: the database itself keeps the ledger balanced and append-only.

- ``funds_entry_balanced``: a DEFERRABLE INITIALLY DEFERRED constraint trigger
  on postings and entries; at commit every touched entry must have at least
  two postings, equal debits and credits, accounts of its own fund and the
  entry's date on each posting. Even raw SQL cannot commit an unbalanced entry.
- ``funds_*_append_only``: UPDATE and DELETE of entries and postings are
  refused (mistakes are corrected by a reversing entry).
- ``funds_journalentry_open_period``: no entry dated in a closed year.
- ``funds_grantapproval_four_eyes``: whoever applied for or entered a grant
  never approves it.

SQLite has none of these; the services enforce the same rules there.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION funds_entry_assert_balanced(p_entry_id bigint) RETURNS void AS $$
DECLARE
    v_fund bigint;
    v_date date;
    v_debit numeric;
    v_credit numeric;
    v_count integer;
    v_foreign integer;
BEGIN
    SELECT fund_id, entry_on INTO v_fund, v_date FROM funds_journalentry WHERE id = p_entry_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT COALESCE(SUM(p.amount) FILTER (WHERE p.side = 'debit'), 0),
           COALESCE(SUM(p.amount) FILTER (WHERE p.side = 'credit'), 0),
           COUNT(*),
           COUNT(*) FILTER (WHERE a.fund_id <> v_fund OR p.entry_on <> v_date)
      INTO v_debit, v_credit, v_count, v_foreign
      FROM funds_posting p JOIN funds_account a ON a.id = p.account_id
     WHERE p.entry_id = p_entry_id;
    IF v_count < 2 OR v_debit <> v_credit OR v_foreign > 0 THEN
        RAISE EXCEPTION 'funds_entry_balanced: entry % has % postings, debit %, credit %, % foreign',
            p_entry_id, v_count, v_debit, v_credit, v_foreign
            USING ERRCODE = 'check_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funds_posting_balanced() RETURNS trigger AS $$
BEGIN
    PERFORM funds_entry_assert_balanced(NEW.entry_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funds_journalentry_balanced() RETURNS trigger AS $$
BEGIN
    PERFORM funds_entry_assert_balanced(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER funds_posting_balanced
    AFTER INSERT ON funds_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_posting_balanced();

CREATE CONSTRAINT TRIGGER funds_journalentry_balanced
    AFTER INSERT ON funds_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_journalentry_balanced();

CREATE OR REPLACE FUNCTION funds_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_append_only: % on % is refused; post a reversing entry',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_posting_append_only
    BEFORE UPDATE OR DELETE ON funds_posting
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();

CREATE TRIGGER funds_journalentry_append_only
    BEFORE UPDATE OR DELETE ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();

CREATE OR REPLACE FUNCTION funds_journalentry_open_period() RETURNS trigger AS $$
BEGIN
    IF NEW.year <> EXTRACT(YEAR FROM NEW.entry_on) THEN
        RAISE EXCEPTION 'funds_journalentry_year_matches_date: % vs %', NEW.year, NEW.entry_on
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM funds_closedperiod
               WHERE fund_id = NEW.fund_id AND year = NEW.year) THEN
        RAISE EXCEPTION 'funds_journalentry_open_period: % is closed', NEW.year
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_journalentry_open_period
    BEFORE INSERT ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_journalentry_open_period();

CREATE OR REPLACE FUNCTION funds_grantapproval_four_eyes() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM funds_grant
               WHERE id = NEW.grant_id
                 AND (applied_by_id = NEW.approver_id OR entered_by_id = NEW.approver_id)) THEN
        RAISE EXCEPTION 'funds_grantapproval_four_eyes: the requester cannot approve'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_grantapproval_four_eyes
    BEFORE INSERT OR UPDATE ON funds_grantapproval
    FOR EACH ROW EXECUTE FUNCTION funds_grantapproval_four_eyes();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_grantapproval_four_eyes ON funds_grantapproval;
DROP FUNCTION IF EXISTS funds_grantapproval_four_eyes();
DROP TRIGGER IF EXISTS funds_journalentry_open_period ON funds_journalentry;
DROP FUNCTION IF EXISTS funds_journalentry_open_period();
DROP TRIGGER IF EXISTS funds_journalentry_append_only ON funds_journalentry;
DROP TRIGGER IF EXISTS funds_posting_append_only ON funds_posting;
DROP FUNCTION IF EXISTS funds_append_only();
DROP TRIGGER IF EXISTS funds_journalentry_balanced ON funds_journalentry;
DROP TRIGGER IF EXISTS funds_posting_balanced ON funds_posting;
DROP FUNCTION IF EXISTS funds_journalentry_balanced();
DROP FUNCTION IF EXISTS funds_posting_balanced();
DROP FUNCTION IF EXISTS funds_entry_assert_balanced(bigint);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_ledger_gifts_grants")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
