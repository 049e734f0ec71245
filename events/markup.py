"""Event descriptions: Markdown rendered, then sanitised with nh3."""

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def _only_our_images(tag: str, attribute: str, value: str) -> str | None:
    """An image only from the portal's own uploads: no tracking pixel, no other host."""
    if tag == "img" and attribute == "src":
        media = settings.MEDIA_URL
        if not (value.startswith(media) and not value.startswith("//")) or ".." in value:
            return None
    return value


def render_markdown(text: str) -> SafeString:
    """Safe HTML from Markdown: scripts, handlers, ``javascript:`` links and images from
    anywhere but the portal's own uploads (``MEDIA_URL``) are removed."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_only_our_images,
    )
    # Sanitised by nh3 just above: the one mark_safe on user text.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703
