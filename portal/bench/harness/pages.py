"""The pages ``make bench`` measures: every public page of the URLconf, with sample objects.

Parameterless routes come from the URLconf itself (``public_routes``), so a new public
page is measured without a change here; only pages with a parameter are listed by hand
(``public_pages``), each with a real object of the bench data.
"""

import datetime

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from alliances.models import Alliance
from catalogue.models import ServiceOffering
from events.models import Event
from federation.models import Organisation, Street
from festival.models import Edition
from funds.models import Fund
from news.models import Article

# Parameterless routes that are not pages a visitor reads (or need a login).
NOT_PUBLIC_PREFIXES = (
    "_bench/",
    "admin/",
    "accounts/",
    "i18n/",
    "my/",
    "staff/",
    "work/",
    "fund/manage/",
    "favicon.ico",
    "healthz",
    "streets/hub/",
    "streets/review/",
    "services/review/",
    "services/handbook.",
    "events/check-in/",
    "events/hours/",
    "events/quarterly-plan/",
    "alliances/manage/",
    "caravan/manage/",
    "volunteers/certificate/",
    "honours/nominations/",
    "member-events/",
)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def public_routes() -> list[str]:
    """``/path/`` of every URLconf route without parameters that a visitor may read."""
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if route.startswith(NOT_PUBLIC_PREFIXES) or route.endswith(".xlsx"):
            continue
        routes.append("/" + route)
    return sorted(set(routes))


def _first(queryset, attribute: str, default=""):
    value = queryset.values_list(attribute, flat=True).first()
    return default if value is None else value


def public_pages() -> list[tuple[str, str]]:
    """``(name, path)`` of each public page, parameterised ones with a real object."""
    now = timezone.now()
    event = _first(
        Event.objects.published().filter(starts_at__gte=now, slug__startswith="bench-outreach"),
        "slug",
    ) or _first(Event.objects.published(), "slug")
    org = _first(
        Organisation.objects.filter(status="active", slug__startswith="bench-org-").order_by("pk"),
        "slug",
    ) or _first(Organisation.objects.filter(status="active"), "slug")
    alliance = _first(Alliance.objects.order_by("position"), "code")
    article = _first(Article.objects.order_by("-pk"), "slug")
    offering = _first(ServiceOffering.objects.published().order_by("pk"), "pk")
    street = _first(Street.objects.order_by("code"), "code")
    year = _first(Edition.objects.order_by("-year"), "year", timezone.localdate().year)
    pages = [(path, path) for path in public_routes()]
    pages += [
        ("/events/<slug>/", f"/events/{event}/"),
        ("/events/<slug>.ics", f"/events/{event}.ics"),
        ("/organisations/<slug>/", f"/organisations/{org}/"),
        ("/alliances/<code>/", f"/alliances/{alliance}/"),
        ("/news/<slug>/", f"/news/{article}/"),
        ("/services/<pk>/", f"/services/{offering}/"),
        ("/streets/<code>/", f"/streets/{street}/"),
        ("/honours/<year>/", f"/honours/{year}/"),
    ]
    return pages


def staff_pages() -> list[tuple[str, str, str]]:
    """``(name, path, who)``: fund pages as the fund manager, the rest as staff."""
    fund = Fund.objects.order_by("pk").values_list("code", flat=True).first() or "SBF"
    base = f"/fund/manage/{fund}/"
    year = timezone.localdate().year - 1
    as_of = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    return [
        ("fund dashboard", base, "fund"),
        ("trial balance", base + "trial-balance/", "fund"),
        ("ledger (entry list)", base + "ledger/", "fund"),
        ("donation list", base + "donations/", "fund"),
        ("export: ledger .xlsx", base + f"exports/ledger.xlsx?year={year}", "fund"),
        ("export: trial balance .xlsx", base + f"exports/trial-balance.xlsx?as_of={as_of}", "fund"),
        ("export: income and expense .xlsx", base + "exports/income-expense.xlsx", "fund"),
        ("staff dashboard /staff/", "/staff/", "staff"),
        ("workbench /work/", "/work/", "staff"),
    ]
