"""Page building blocks shared by every app."""

from django.template.response import TemplateResponse


def confirm_page(
    request,
    *,
    question: str,
    button: str,
    cancel_url: str,
    action: str = "",
    title: str = "",
    note: str = "",
    form=None,
    button_class: str = "btn-danger",
    cancel_label: str = "",
    header_template: str = "",
    status: int = 200,
    **extra,
) -> TemplateResponse:
    """The step before a destructive action: ``question``, an optional ``form`` (a reason),
    ``button`` POSTing to ``action`` (default: this page) and a way back to ``cancel_url``.
    ``header_template`` is included above (an app's own heading and navigation)."""
    context = {
        "confirm_title": title,
        "confirm_question": question,
        "confirm_note": note,
        "form": form,
        "confirm_button": button,
        "confirm_button_class": button_class,
        "confirm_action": action or request.path,
        "confirm_header": header_template,
        "cancel_url": cancel_url,
        "cancel_label": cancel_label,
        **extra,
    }
    return TemplateResponse(request, "core/confirm.html", context, status=status)
