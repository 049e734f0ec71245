"""Where other apps plug into the kernel's pages without the kernel importing them.

- ``/my/`` lists *sections* (a title, a URL name, a line of description):
  the kernel's own below, and whatever another app registers, e.g. from its
  ``AppConfig.ready()``::

      from federation.sections import register_my_section
      register_my_section(_("Event registrations"), "events:my-registration-list")

- a public organisation profile includes *profile templates* in order; each
  gets ``organisation`` in its context (e.g. "events it hosts")::

      register_profile_section("events/organisation_profile_events.html")
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MySection:
    title: str | Promise
    url_name: str
    description: str | Promise = ""
    admin_only: bool = False


_MY_SECTIONS: list[MySection] = [
    MySection(
        _("Organisation profile"),
        "federation:my-profile",
        _("Registry details, contact and public description."),
        admin_only=True,
    ),
    MySection(
        _("People and invitations"),
        "federation:my-member-list",
        _("Who may act for the organisation, and their roles."),
    ),
    MySection(
        _("Annual inspections"),
        "federation:my-inspection-list",
        _("Annual inspection and report status, and their deadlines."),
    ),
]
_PROFILE_SECTIONS: list[str] = []


def register_my_section(
    title: str | Promise,
    url_name: str,
    description: str | Promise = "",
    *,
    admin_only: bool = False,
) -> None:
    """Add a link to ``/my/`` (once per URL name)."""
    if any(section.url_name == url_name for section in _MY_SECTIONS):
        return
    _MY_SECTIONS.append(MySection(title, url_name, description, admin_only))


def my_sections() -> list[MySection]:
    return list(_MY_SECTIONS)


def register_profile_section(template_name: str) -> None:
    """Include ``template_name`` on every public organisation profile (once)."""
    if template_name not in _PROFILE_SECTIONS:
        _PROFILE_SECTIONS.append(template_name)


def profile_sections() -> list[str]:
    return list(_PROFILE_SECTIONS)
