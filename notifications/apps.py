from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from . import services, tasks

        services.immediate_dispatch_install(tasks.message_dispatch_soon)
