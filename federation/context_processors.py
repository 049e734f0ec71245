from django.conf import settings


def portal(request):
    """Values every page needs: the site name and the navigation's current section."""
    path = request.path
    sections = [
        "events",
        "alliances",
        "organisations",
        "services",
        "fund",
        "my",
        "accounts",
        "work",
    ]
    current = next(
        (s for s in sections if path.startswith(f"/{s}/")), "home" if path == "/" else ""
    )
    return {"site_name": settings.YILU_SITE_NAME, "nav_current": current}
