from django.contrib import messages
from django.core.exceptions import ValidationError


def refusal_message(request, error: ValidationError) -> None:
    """Show a service refusal as a message, each text once."""
    for text in dict.fromkeys(error.messages):
        messages.error(request, text)


def form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
