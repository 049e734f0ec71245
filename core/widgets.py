"""Date and time inputs a browser can fill: ``type=date`` and ``datetime-local`` want ISO.

A browser blanks a ``type=date`` input whose value is ``2026/12/01`` (the
zh-hans localised format), so the default never shows and the user must pick
every date again. These widgets always render ISO (``2026-12-01``,
``2027-03-12T09:30``), whatever the active language.
"""

from django import forms


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    """A ``datetime-local`` input, to the minute, in the current (Shanghai) time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class IsoMonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")
