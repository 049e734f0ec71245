"""Render a message from its templates in the recipient's language, times in Asia/Shanghai."""

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.links import absolute_url, site_root
from core.timezone import SHANGHAI

from .channels import RenderedMessage
from .context import context_decode
from .models import Message
from .tokens import unsubscribe_token_make


def _render_plain(template_name: str, context: dict) -> str:
    # Plain text: no HTML escaping (an "&" in a title stays an "&").
    return get_template(template_name).template.render(Context(context, autoescape=False))


def unsubscribe_url(message: Message) -> str:
    token = unsubscribe_token_make(
        kind=message.kind, recipient_id=message.recipient_id, email=message.email
    )
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def message_render(message: Message) -> RenderedMessage:
    """Subject, text and HTML of ``message``; optional kinds get an unsubscribe footer."""
    recipient = message.recipient
    context = context_decode(message.context)
    context.update(
        {
            "site_name": settings.YILU_SITE_NAME,
            "site_url": site_root(),
            # The person's name (姓名) or nothing: the templates then greet neutrally
            # ("您好："), never with the e-mail address's local part.
            "recipient_name": (getattr(recipient, "name", "") or "").strip() if recipient else "",
            "has_account": recipient is not None,
            "unsubscribe_url": unsubscribe_url(message) if message.optional else "",
        }
    )
    headers = {}
    with translation.override(message.language), timezone.override(SHANGHAI):
        subject = " ".join(_render_plain(f"{message.template}_subject.txt", context).split())
        text = _render_plain(f"{message.template}_message.txt", context).strip() + "\n"
        try:
            html = render_to_string(f"{message.template}_message.html", context)
        except TemplateDoesNotExist:
            html = render_to_string(
                "notifications/email/fallback_message.html", {**context, "text": text}
            )
        if message.optional:
            text += _render_plain("notifications/email/unsubscribe_footer.txt", context)
            footer = render_to_string("notifications/email/unsubscribe_footer.html", context)
            html = (
                html.replace("</body>", footer + "</body>") if "</body>" in html else html + footer
            )
            headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return RenderedMessage(subject=subject, text=text, html=html, headers=headers)
