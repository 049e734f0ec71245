"""A service's refusal shown on a form or in a message: one way for every page."""

from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """Every message of a refusal as one line (for ``messages.error``)."""
    return " ".join(error.messages)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on ``form``: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
