"""The MFA rule for every staff role (portal sits on top, so it may ask every app)."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from alliances.models import Alliance

# Pages a staff-role account may use before it has a second factor: setting one up,
# logging out, the language switch, health checks and static files.
MFA_FREE_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/", "/media/")
# Staff-role pages of the alliance secretaries (who are not ``is_staff`` accounts).
SECRETARY_VIEWS = {
    "alliances:manage-list",
    "alliances:manage",
    "alliances:membership-decide",
    "alliances:membership-remove",
    "events:check-in-index",
    "events:check-in",
    "events:attendance",
    "events:mark-no-shows",
    "events:hours-correct",
}


def _is_staff_role_request(request) -> bool:
    """A staff account anywhere outside the MFA-free pages, or a secretary's staff page."""
    if request.path.startswith(MFA_FREE_PREFIXES):
        return False
    user = request.user
    if user.is_staff or user.is_superuser:
        return True
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    return view_name in SECRETARY_VIEWS and Alliance.objects.filter(secretary=user).exists()


class StaffMfaRequiredMiddleware:
    """With ``YILU_STAFF_REQUIRE_MFA``, every staff role (federation staff, fund managers
    and auditors, superusers, alliance secretaries) uses its staff pages, in the back
    office and in the portal alike, only after setting up two-factor authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.YILU_STAFF_REQUIRE_MFA
            and request.user.is_authenticated
            and _is_staff_role_request(request)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request, _("Set up two-factor authentication before using the back office.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
