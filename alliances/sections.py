"""Where higher apps add blocks to the public alliance page without alliances importing them.

An app registers a template from its ``AppConfig.ready()``; the alliance page
includes each in order with ``alliance`` in the context::

    from alliances.sections import register_alliance_section
    register_alliance_section("news/alliance_news.html")
"""

_ALLIANCE_SECTIONS: list[str] = []


def register_alliance_section(template_name: str) -> None:
    """Include ``template_name`` on every public alliance page (once)."""
    if template_name not in _ALLIANCE_SECTIONS:
        _ALLIANCE_SECTIONS.append(template_name)


def alliance_sections() -> list[str]:
    return list(_ALLIANCE_SECTIONS)
