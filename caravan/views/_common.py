from django.contrib import messages
from django.core.exceptions import ValidationError

from core.forms import add_service_errors


def refusal_message(request, error: ValidationError) -> None:
    """Show a service refusal as a message, each text once."""
    for text in dict.fromkeys(error.messages):
        messages.error(request, text)


# One definition in core; the caravan pages call it by this name.
form_errors_from = add_service_errors
