"""Who may act for which organisation: the one place every app's /my/ views ask.

Views of any app mix in :class:`OrganisationRequiredMixin`; it sets
``self.organisation`` and ``self.membership`` for the user's *current*
organisation (kept in the session, switchable when a user belongs to several)
and answers 404, never 403, when the user has none, so another organisation's
data cannot even be probed.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest

from .models import OrganisationMember
from .selectors import membership_get_for_user

SESSION_KEY = "current_organisation_id"


def current_membership(request: HttpRequest) -> OrganisationMember | None:
    """The logged-in user's membership in their current organisation, if any."""
    user = request.user
    if not user.is_authenticated:
        return None
    organisation_id = request.session.get(SESSION_KEY)
    if organisation_id:
        membership = membership_get_for_user(user=user, organisation_id=organisation_id)
        if membership:
            return membership
    membership = (
        OrganisationMember.objects.select_related("organisation", "organisation__street")
        .filter(user=user)
        .order_by("organisation__name")
        .first()
    )
    if membership:
        request.session[SESSION_KEY] = membership.organisation_id
    return membership


def select_organisation(request: HttpRequest, organisation_id: int) -> OrganisationMember:
    """Make one of the user's organisations the current one; 404 if not theirs."""
    membership = membership_get_for_user(user=request.user, organisation_id=organisation_id)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organisation_id
    return membership


class OrganisationRequiredMixin(LoginRequiredMixin):
    """Class-based view mixin: ``self.organisation`` / ``self.membership`` or 404.

    Set ``org_admin_required = True`` for pages only org admins may use.
    Objects a view loads must still be filtered by ``self.organisation``.
    """

    org_admin_required = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = current_membership(request)
        if membership is None:
            raise Http404
        if self.org_admin_required and membership.role != OrganisationMember.Role.ADMIN:
            raise Http404
        self.membership = membership
        self.organisation = membership.organisation
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.organisation)
        kwargs.setdefault("membership", self.membership)
        return super().get_context_data(**kwargs)
