"""The bare reference views ``make bench`` divides by (only in ``config.urls_bench``).

Each goes through the full middleware stack; none renders a template.
"""

from django.db import connection, transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "bench_insert"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def bare_insert(request):
    """One INSERT in its own transaction (the table is the harness's own; its name a constant)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (at) VALUES (now())")  # noqa: S608  # nosec B608
    return HttpResponse("ok", content_type="text/plain")


def bare_sum(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(amount) FROM funds_posting")
        (total,) = cursor.fetchone()
    return HttpResponse(str(total), content_type="text/plain")


def ensure_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, at timestamptz)"
        )
