from io import StringIO

from django.apps import apps
from django.core.management import call_command


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin.", "contenttypes."))
    }


def test_seed_demo_twice_leaves_the_same_row_counts(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert _row_counts() == first
    assert "staff@yilu.example" in out.getvalue()
    assert "org@yilu.example" in out.getvalue()
    assert first["federation.User"] >= 3


def test_seed_demo_logins_work(client, db):
    call_command("seed_demo", stdout=StringIO())
    from federation.demo import DEMO_PASSWORD

    for email in ["staff@yilu.example", "org@yilu.example"]:
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
    client.logout()
    client.post("/accounts/login/", {"login": "staff@yilu.example", "password": DEMO_PASSWORD})
    assert client.get("/admin/").status_code == 200
