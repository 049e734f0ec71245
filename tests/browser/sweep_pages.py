"""Which pages the sweep opens, for which role, and why the others are left out.

The list comes from the URLconf (``portal_url_names``, the permission walk's
resolver walk) and the permission walk's table of GET statuses: a role opens
every URL name whose GET answers it 200. A name no role opens as a page must
be listed below with the reason, so a new page cannot escape the sweep
(``test_sweep.py::test_every_url_name_is_swept_or_excluded``).
"""

from django.urls import Resolver404, resolve

from tests.config.permission_table import EXPECTED
from tests.config.permission_world import ROLES
from tests.config.test_permission_walk import portal_url_names, reverse_route, url_for

# Answers that are files, feeds or probes, not pages a person reads in the browser.
DOWNLOADS = {
    "alliances:matrix-export": "spreadsheet download (.xlsx)",
    "caravan:matrix-xlsx": "spreadsheet download (.xlsx)",
    "catalogue:handbook-pdf": "PDF download",
    "catalogue:handbook-xlsx": "spreadsheet download (.xlsx)",
    "dashboard:evidence-pdf": "PDF download",
    "dashboard:evidence-xlsx": "spreadsheet download (.xlsx)",
    "dashboard:report-pdf": "PDF download",
    "dashboard:report-xlsx": "spreadsheet download (.xlsx)",
    "events:event-feed": "calendar feed (.ics)",
    "events:event-ics": "calendar file (.ics)",
    "funds:attachment": "file download (the grant's attachment)",
    "funds:export": "spreadsheet download (.xlsx)",
    "funds:my-attachment": "file download (the grant's attachment)",
    "news:feed-atom": "Atom feed (XML)",
    "news:feed-rss": "RSS feed (XML)",
    "portal:healthz": "load balancer probe (plain text)",
}

# Names that answer no role a page of their own in the permission world.
NOT_PAGES = {
    # POST-only: a button on another page (the walk checks who may POST).
    "alliances:apply": "POST-only (the apply button on the alliance page)",
    "alliances:membership-decide": "POST-only (decision buttons on the manage page)",
    "alliances:membership-remove": "POST-only (redirects on GET)",
    "caravan:decide": "POST-only",
    "caravan:generate": "POST-only",
    "caravan:history-import": "POST-only (upload form on the manage page)",
    "caravan:post-proceeds": "POST-only",
    "caravan:publish": "POST-only",
    "caravan:my-withdraw": "POST-only",
    "catalogue:my-offering-submit": "POST-only",
    "catalogue:my-offering-withdraw": "POST-only",
    "catalogue:my-photo-add": "POST-only (upload form on the offering page)",
    "catalogue:my-photo-remove": "POST-only",
    "events:hours-correct": "POST-only (form on the attendance page)",
    "events:secretary-event-cancel": "POST-only",
    "events:secretary-event-publish": "POST-only",
    "federation:my-member-role": "POST-only (role menu on the members page)",
    "federation:organisation-switch": "POST-only (organisation menu in the header)",
    "funds:grant-action": "POST-only (decision buttons on the grant page)",
    "funds:letter-issue": "POST-only",
    "funds:my-grant-progress": "POST-only",
    "funds:my-grant-report": "POST-only",
    "funds:my-grant-withdraw": "POST-only",
    "member_events:cancel": "POST-only",
    "member_events:check-in": "POST-only",
    "member_events:hours": "POST-only",
    "member_events:no-shows": "POST-only",
    "member_events:submit": "POST-only",
    "streets:review-approve": "POST-only",
    "streets:review-return": "POST-only",
    "volunteers:request-confirm": "redirects to the request form without a request in the session",
    # Redirects to a page the sweep opens.
    "funds:manage-index": "redirects to the fund's dashboard (funds:manage-dashboard)",
    "dashboard:my-evidence": "redirects to the organisation's evidence page (dashboard:evidence)",
    "portal:favicon": "redirects to the static icon",
    # Objects the permission world does not hold, and no page of their own.
    "festival:award-pdf": "PDF download; the sweep's award is verified on festival:honour-verify",
    "funds:letter-pdf": "PDF download; no letter in the permission world",
    "volunteers:certificate-pdf": "PDF download; the sweep's certificate is verified on "
    "volunteers:verify",
    "streets:hub-event-submit": "POST-only (the submit button on the hub's event list)",
    "streets:hub-registry-export": "spreadsheet download (.xlsx) of the hub's registry",
}

# The role the sweep adds to the permission walk's (sweep_world.py makes the person).
SWEEP_ROLES = ("hub_staff",)

# The pages of the walk a role added by the sweep opens besides its own: the home page,
# whose menu leads a hub's staff into their hub area.
SWEEP_ROLE_WAY_IN = {"hub_staff": ("portal:home",)}

# Pages whose objects (or role) the permission world lacks: the sweep makes them
# (sweep_world.py) and opens each page as the role that uses it.
SWEPT_WITH_OWN_OBJECTS = {
    "caravan:cancel": "federation_staff",
    "caravan:my-apply": "admin_a",
    "caravan:my-record": "admin_a",
    "events:ticket": "anonymous",
    "events:ticket-cancel": "anonymous",
    "events:visitor-signup": "anonymous",
    "festival:honour-verify": "anonymous",
    "festival:nomination-create": "admin_a",
    "festival:walk-in-counter": "federation_staff",
    "notifications:unsubscribe": "anonymous",
    "volunteers:verify": "anonymous",
    "volunteers:volunteer-detail": "federation_staff",
    **{
        f"streets:{name}": "hub_staff"
        for name in (
            "hub-application-list",
            "hub-booth-record",
            "hub-caravans",
            "hub-check-in",
            "hub-event-create",
            "hub-event-list",
            "hub-event-update",
            "hub-home",
            "hub-inspections",
            "hub-profile",
            "hub-recommend",
            "hub-registry",
            "hub-registry-detail",
        )
    },
}

# Pages not held to the three taps, with the reason: reached from outside the site's
# navigation, linked only when the data calls for it, or an action on an object's page.
REACHED_OUTSIDE_NAVIGATION = {
    "federation:invitation-accept": "the link in the invitation e-mail",
    "volunteers:request-done": "the page after the certificate request form is sent",
    "events:visitor-signup": "the sign-up button on the page of an event that takes visitors "
    "(the sweep opens the permission world's event, which takes none)",
    "events:ticket": "the page the visitor's sign-up ends on, and the link in its text message",
    "festival:honour-verify": "the QR code printed on the award certificate",
    "volunteers:verify": "the QR code printed on the service certificate",
    "notifications:unsubscribe": "the link at the foot of each e-mail",
    # Linked only when there is something to link to, which the permission world lacks.
    "festival:honour-roll-year": "the honour roll links a year once it has awards",
    "funds:partners": "the fund page links it once the fund has partners",
    "volunteers:my-certificate-issue": "the volunteers list links it for a person with hours",
    "events:secretary-event-update": "the secretary's list links training/team-building events",
    "catalogue:review-detail": "the review list links offerings waiting for review",
    "member_events:review": "the review list links events waiting for review",
    "dashboard:evidence": "the evidence search links the organisations it finds",
    "funds:instalment-receive": "the fund dashboard links overdue instalments (and the pledge page)",
    # An action on one object, opened from that object's page (itself within 4 taps).
    "funds:entry-reverse": "the reversal form of an entry, a button on the entry's page",
    "events:ticket-cancel": "the cancel button on the visitor's ticket page",
}

# A link to a redirect reaches the page it redirects to.
LINK_ALIASES = {
    "funds:manage-index": "funds:manage-dashboard",
    "dashboard:my-evidence": "dashboard:evidence",
}

# Pages the helpers' branches fix (names: fund back office, checkin: check-in pages);
# each entry says which check is left to them. Empty once those branches are merged.
LEFT_TO_OTHER_BRANCHES: dict[tuple[str, str], str] = {}


def get_status(name: str, role: str) -> str:
    return EXPECTED[name][0].split()[ROLES.index(role)]


def pages_for(role: str) -> list[str]:
    """URL names the role opens as pages: GET 200 in the permission table (not a download),
    then the pages of the sweep's own objects the role uses."""
    walked = [
        name
        for name in portal_url_names()
        if role in ROLES and name not in DOWNLOADS and get_status(name, role) == "200"
    ]
    own = sorted(name for name, user in SWEPT_WITH_OWN_OBJECTS.items() if user == role)
    return walked + list(SWEEP_ROLE_WAY_IN.get(role, ())) + own


def has_kwargs(name: str) -> bool:
    return "<" in reverse_route(name) or "(?P" in reverse_route(name)


def url_name(path: str) -> str | None:
    """The URL name a link points to (``None`` outside the URLconf)."""
    try:
        match = resolve(path.split("?")[0].split("#")[0])
    except Resolver404:
        return None
    name = match.view_name
    return LINK_ALIASES.get(name, name)


def depths(links: dict[str, set[str]], start: str = "portal:home") -> dict[str, int]:
    """Breadth-first: the fewest taps from ``start`` to each URL name."""
    found = {start: 0}
    frontier = [start]
    while frontier:
        following = []
        for name in frontier:
            for target in sorted(links.get(name, ())):
                if target not in found:
                    found[target] = found[name] + 1
                    following.append(target)
        frontier = following
    return found


def unreachable(role: str, links: dict[str, set[str]]) -> dict[str, int | None]:
    """Pages of the role not within 3 taps (pages with URL kwargs: 4, linked from such a page)."""
    reached = depths(links)
    missing = {}
    for name in pages_for(role):
        if name in REACHED_OUTSIDE_NAVIGATION:
            continue
        limit = 4 if has_kwargs(name) else 3
        if reached.get(name, 99) > limit:
            missing[name] = reached.get(name)
    return missing


__all__ = ["url_for"]
