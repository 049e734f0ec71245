"""Form helpers shared by the apps: a service's refusal on a form, blank formset rows."""

from django.core.exceptions import ValidationError


class BlankRowMixin:
    """A formset row left untouched counts as empty, even though a browser sends its selects.

    A ``<select>`` without a blank option always submits its first option
    (``debit``), so Django's ``has_changed`` sees an untouched row as filled in
    and refuses the whole formset. A row counts as filled in only when one of
    ``significant_fields`` (the fields a person types or picks) has a value.
    """

    significant_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        for name in self.significant_fields:
            field = self.fields[name]
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if value not in (None, "", [], ()):
                return True
        return False


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
