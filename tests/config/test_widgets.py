"""Every date and time input renders ISO values, which is all a browser accepts (issue 11).

``<input type=date value="2026/12/01">`` (Django's zh-hans format) is blanked
by the browser: the default never shows and users pick every date again.
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.utils import timezone, translation

from core.forms import BlankRowMixin

BROWSER_PARSED = {"date": "2027-03-12", "datetime-local": "2027-03-12T09:30", "month": "2027-03"}
SAMPLE = datetime.datetime(2027, 3, 12, 9, 30, tzinfo=timezone.get_fixed_timezone(480))


def _form_modules():
    first_party = [
        app for app in settings.INSTALLED_APPS if (settings.BASE_DIR / app / "apps.py").exists()
    ]
    for app in first_party:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__, prefix=f"{app}."):
            if "forms" in info.name.rsplit(".", 1)[-1]:
                yield importlib.import_module(info.name)


def _date_widgets():
    found = []
    for module in _form_modules():
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in getattr(form, "base_fields", {}).items():
                input_type = getattr(field.widget, "input_type", None)
                if input_type in BROWSER_PARSED:
                    found.append((f"{form.__module__}.{form.__name__}.{field_name}", field))
    return found


DATE_WIDGETS = _date_widgets()


def test_the_portal_has_date_inputs_to_check():
    # The search must find the fund, event and registry forms, or the test below proves nothing.
    names = " ".join(name for name, _field in DATE_WIDGETS)
    assert "funds.forms.EntryForm.entry_on" in names
    assert "events.forms" in names and "federation.forms" in names
    assert len(DATE_WIDGETS) > 20


@pytest.mark.parametrize(("name", "field"), DATE_WIDGETS, ids=[name for name, _f in DATE_WIDGETS])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_render_iso_in_every_language(name, field, language, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    input_type = field.widget.input_type
    value = SAMPLE if input_type == "datetime-local" else SAMPLE.date()
    with translation.override(language), timezone.override("Asia/Shanghai"):
        html = field.widget.render("x", field.prepare_value(value))
    assert f'value="{BROWSER_PARSED[input_type]}"' in html


def test_formsets_ignore_rows_whose_selects_send_their_first_option():
    from funds.forms import PostingLineForm

    assert issubclass(PostingLineForm, BlankRowMixin)
    untouched = PostingLineForm({"p-account": "", "p-side": "debit", "p-amount": ""}, prefix="p")
    assert not untouched.has_changed()
    typed = PostingLineForm({"p-account": "", "p-side": "debit", "p-amount": "5"}, prefix="p")
    assert typed.has_changed()
