"""The Celery application.

With no ``CELERY_BROKER_URL`` the broker is Celery's filesystem transport in
``var/celery`` (see settings), so a worker and beat run with no server at all.
"""

import os

from celery import Celery
from celery.signals import celeryd_init, task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("yilu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def _workers_wait_out_a_hung_broker(conf=None, **kwargs):
    """The short Redis socket timeouts are for web requests that publish (settings).

    A worker is better off blocking while Redis hangs and carrying on when it
    answers again: a timed-out acknowledgement would leave its consumer broken.
    """
    if conf is None:
        return
    options = dict(conf.broker_transport_options or {})
    for key in ("socket_timeout", "socket_connect_timeout"):
        options.pop(key, None)
    conf.broker_transport_options = options


@worker_init.connect
def _urls_loaded_before_the_pool_forks(**kwargs):
    """Load the URLconf once in the worker's main process, before the pool forks.

    Every mail links back to the site (``reverse()``), and the first ``reverse()`` imports
    every view module: about a second, which each pool process would otherwise spend
    inside its first task. Loaded here, the children share it copy-on-write. Runs after
    Celery's Django fix-up (connected when the app was created) has set Django up.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the import is the point)


@task_prerun.connect
@task_postrun.connect
def _database_connections_checked(task=None, **kwargs):
    """Around each task, what Django does around each request: drop a connection that is
    broken or older than CONN_MAX_AGE, keep a healthy one (``CELERY_DB_REUSE_MAX``).

    Not for eager tasks (tests): they run inside the caller's transaction.
    """
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
