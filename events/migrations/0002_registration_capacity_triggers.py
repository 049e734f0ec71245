"""Database triggers behind the capacity and hours rules.

A unique ``(event, seat)`` constraint already stops two registrations from
taking one seat; these triggers stop a seat beyond the event's capacity, a
capacity cut below a seat in use, and hours beyond the event's length, even
for rows written without the services (raw SQL, a buggy import).
PostgreSQL and SQLite each get their own dialect; both raise an integrity error.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION events_registration_check() RETURNS trigger AS $$
DECLARE
    event_capacity integer;
    event_starts timestamptz;
    event_ends timestamptz;
BEGIN
    IF NEW.seat IS NULL AND NEW.hours IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT capacity, starts_at, ends_at INTO event_capacity, event_starts, event_ends
        FROM events_event WHERE id = NEW.event_id;
    IF NEW.seat IS NOT NULL AND event_capacity IS NOT NULL AND NEW.seat > event_capacity THEN
        RAISE EXCEPTION 'events_registration_seat_within_capacity: seat % of %', NEW.seat, event_capacity
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.hours IS NOT NULL
       AND NEW.hours > round((extract(epoch FROM event_ends - event_starts) / 3600)::numeric, 2) THEN
        RAISE EXCEPTION 'events_registration_hours_within_length'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_registration_check
    BEFORE INSERT OR UPDATE OF seat, hours, event_id ON events_registration
    FOR EACH ROW EXECUTE FUNCTION events_registration_check();

CREATE OR REPLACE FUNCTION events_event_check_seats() RETURNS trigger AS $$
BEGIN
    IF NEW.capacity IS NOT NULL AND EXISTS (
        SELECT 1 FROM events_registration WHERE event_id = NEW.id AND seat > NEW.capacity
    ) THEN
        RAISE EXCEPTION 'events_event_capacity_covers_seats' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM events_registration WHERE event_id = NEW.id AND hours >
            round((extract(epoch FROM NEW.ends_at - NEW.starts_at) / 3600)::numeric, 2)
    ) THEN
        RAISE EXCEPTION 'events_event_length_covers_hours' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_event_check_seats
    BEFORE UPDATE OF capacity, starts_at, ends_at ON events_event
    FOR EACH ROW EXECUTE FUNCTION events_event_check_seats();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS events_event_check_seats ON events_event;
DROP FUNCTION IF EXISTS events_event_check_seats();
DROP TRIGGER IF EXISTS events_registration_check ON events_registration;
DROP FUNCTION IF EXISTS events_registration_check();
"""

# SQLite stores datetimes as ISO text that julianday() reads; 0.005 h absorbs
# the float rounding of the two-decimal hours.
_SQLITE_SEAT = (
    "NEW.seat IS NOT NULL AND NEW.seat > "
    "(SELECT capacity FROM events_event WHERE id = NEW.event_id)"
)
_SQLITE_HOURS = (
    "NEW.hours IS NOT NULL AND NEW.hours > (SELECT "
    "(julianday(ends_at) - julianday(starts_at)) * 24 + 0.005 "
    "FROM events_event WHERE id = NEW.event_id)"
)
SQLITE_FORWARD = [
    f"""CREATE TRIGGER events_registration_seat_insert BEFORE INSERT ON events_registration
    WHEN {_SQLITE_SEAT}
    BEGIN SELECT RAISE(ABORT, 'events_registration_seat_within_capacity'); END;""",
    f"""CREATE TRIGGER events_registration_seat_update
    BEFORE UPDATE OF seat, event_id ON events_registration
    WHEN {_SQLITE_SEAT}
    BEGIN SELECT RAISE(ABORT, 'events_registration_seat_within_capacity'); END;""",
    f"""CREATE TRIGGER events_registration_hours_insert BEFORE INSERT ON events_registration
    WHEN {_SQLITE_HOURS}
    BEGIN SELECT RAISE(ABORT, 'events_registration_hours_within_length'); END;""",
    f"""CREATE TRIGGER events_registration_hours_update
    BEFORE UPDATE OF hours, event_id ON events_registration
    WHEN {_SQLITE_HOURS}
    BEGIN SELECT RAISE(ABORT, 'events_registration_hours_within_length'); END;""",
    """CREATE TRIGGER events_event_capacity_update BEFORE UPDATE OF capacity ON events_event
    WHEN NEW.capacity IS NOT NULL AND EXISTS (
        SELECT 1 FROM events_registration WHERE event_id = NEW.id AND seat > NEW.capacity)
    BEGIN SELECT RAISE(ABORT, 'events_event_capacity_covers_seats'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS events_registration_seat_insert;",
    "DROP TRIGGER IF EXISTS events_registration_seat_update;",
    "DROP TRIGGER IF EXISTS events_registration_hours_insert;",
    "DROP TRIGGER IF EXISTS events_registration_hours_update;",
    "DROP TRIGGER IF EXISTS events_event_capacity_update;",
]


def _run(schema_editor, postgres: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def reverse(apps, schema_editor):
    _run(schema_editor, POSTGRES_REVERSE, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events_participants_registrations")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
