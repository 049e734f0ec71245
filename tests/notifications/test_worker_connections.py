"""A Celery worker reuses its database connection from task to task (issue 17: a new
PostgreSQL connection per outbox message held the dispatcher to 11 messages/s)."""

import time

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection

from config.celery_app import app

TASK = "notifications.tasks.message_sweep_stuck"


@pytest.mark.django_db(transaction=True)
def test_celerys_django_fixup_keeps_the_connection_between_tasks():
    fixup = DjangoWorkerFixup(app)
    assert fixup.db_reuse_max  # unset, the fixup closes every connection around every task
    task = app.tasks[TASK]
    connection.ensure_connection()
    opened = connection.connection

    for _ in range(3):
        fixup.on_task_prerun(sender=task)
        fixup.on_task_postrun(sender=task)

    assert connection.connection is opened


@pytest.mark.django_db(transaction=True)
def test_a_connection_past_its_age_is_closed_after_a_task(postgres_only):
    # (SQLite's in-memory test database ignores close())
    task = app.tasks[TASK]
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1  # older than CONN_MAX_AGE

    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})

    assert connection.connection is None
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=0)
