"""One way to render a form field: Bootstrap 5 classes added at render time.

``{{ field|bootstrap }}`` renders the widget with ``form-control``,
``form-select`` or ``form-check-input`` (plus ``is-invalid`` when the field has
errors), keeping any class the form already gave it. Forms stay free of
presentation; ``templates/includes/form_fields.html`` uses this for every field.
"""

from django import forms, template

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def bootstrap(bound_field):
    """The field's widget with Bootstrap's class for its kind."""
    if not hasattr(bound_field, "field"):
        return bound_field
    widget = bound_field.field.widget
    classes = [c for c in widget.attrs.get("class", "").split() if c]
    wanted = widget_class(widget)
    if wanted not in classes:
        classes.append(wanted)
    if bound_field.errors:
        classes.append("is-invalid")
    return bound_field.as_widget(attrs={"class": " ".join(classes)})


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
