"""The Celery application.

With no ``CELERY_BROKER_URL`` the broker is Celery's filesystem transport in
``var/celery`` (see settings), so a worker and beat run with no server at all.
"""

import os

from celery import Celery
from celery.signals import celeryd_init

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
