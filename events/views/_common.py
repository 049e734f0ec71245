"""What every events page shares."""

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NavEventsMixin:
    nav_current = "events"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", self.nav_current)
        return super().get_context_data(**kwargs)


def _confirm_page(request, *, title, question, button, action, back_url, **extra):
    """A page asking to confirm a destructive action; the form POSTs to ``action``."""
    context = {
        "confirm_title": title,
        "confirm_question": question,
        "confirm_button": button,
        "confirm_action": action,
        "back_url": back_url,
        **extra,
    }
    return TemplateResponse(request, "events/confirm.html", context)
