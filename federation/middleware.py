"""Request middleware for the back office."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMfaRequiredMiddleware:
    """With ``YILU_STAFF_REQUIRE_MFA``, staff reach the back office only after
    setting up two-factor authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.YILU_STAFF_REQUIRE_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request, _("Set up two-factor authentication before using the back office.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
