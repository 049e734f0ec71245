from django.db.utils import OperationalError


def test_healthz_reports_every_part_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"db": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    # Only the health view's connection breaks; the test database stays usable.
    monkeypatch.setattr("portal.views.connection", DownDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["db"].startswith("error")
    assert body["cache"] == "ok"
