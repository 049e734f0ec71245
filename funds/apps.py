from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Spring Bud Fund")

    def ready(self):
        from core.menu import register_work_item, rule_permission
        from federation.group_guards import register_group_guard
        from federation.sections import register_my_section
        from notifications.registry import register_kind, register_subject

        from . import reminders
        from .roles import FUND_AUDITORS, FUND_MANAGERS
        from .services import fund_role_check

        # Fund roles change only under the service's rule, in the user admin too.
        register_group_guard(FUND_MANAGERS, fund_role_check)
        register_group_guard(FUND_AUDITORS, fund_role_check)

        register_work_item(
            _("Spring Bud Fund back office"),
            "funds:manage-index",
            visible=rule_permission("funds.view_ledger"),
            order=60,
        )

        register_my_section(
            _("Spring Bud Fund grants"),
            "funds:my-grant-list",
            _("Apply for a grant for a frontline staff member or a project, and report on it."),
        )
        register_kind("grant_decided", _("grant decided"), mandatory=True)
        register_kind("fund_integrity_alert", _("fund integrity alert"), mandatory=True)
        register_subject(
            "pledge_overdue", _("pledge instalment overdue"), reminders=reminders.pledge_overdue
        )
        register_subject(
            "grant_report_due", _("grant report due"), reminders=reminders.grant_report_due
        )
