"""Spreadsheets: the sign-in sheet and the attendance export (.xlsx).

Mobiles are masked (138****1234) and every text cell that a spreadsheet would
read as a formula is neutralised.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets import put_cell, workbook_bytes, xlsx_table

from .models import Event, Registration


def _sheet_title(event: Event, used: set[str]) -> str:
    base = timezone.localtime(event.starts_at).strftime("%Y-%m-%d")
    title, n = base, 2
    while title in used:
        title, n = f"{base} ({n})", n + 1
    used.add(title)
    return title


def _heading(sheet: Worksheet, event: Event, subtitle: str, columns: list[str]) -> int:
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    put_cell(sheet, 1, 1, f"{event.title} · {subtitle}")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    when = f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"
    put_cell(sheet, 2, 1, " ".join(p for p in (when, event.venue_name, event.address) if p))
    for column, label in enumerate(columns, start=1):
        put_cell(sheet, 4, column, label)
        sheet.cell(row=4, column=column).font = Font(bold=True)
    sheet.freeze_panes = "A5"
    return 5


def _registrations(event: Event, statuses) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, status__in=statuses)
        .select_related("organisation", "participant")
        .order_by("organisation__name", "name", "pk")
    )


def _who(registration: Registration) -> list:
    return [
        registration.name,
        str(registration.organisation) if registration.organisation else _("visitor"),
        registration.participant.get_role_display() if registration.participant else "",
        registration.masked_mobile,
    ]


def sign_in_sheet_xlsx(events: Iterable[Event]) -> bytes:
    """One sheet per event: everyone with a place, and empty sign-in / sign-out columns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    columns = [
        _("No."),
        _("Name"),
        _("Organisation"),
        _("Role"),
        _("Mobile"),
        _("Signature"),
        _("Time in"),
        _("Time out"),
    ]
    for event in events:
        sheet = workbook.create_sheet(_sheet_title(event, used))
        row = _heading(sheet, event, _("sign-in sheet"), columns)
        for number, registration in enumerate(
            _registrations(event, Registration.SEAT_STATUSES), start=1
        ):
            for column, value in enumerate([number, *_who(registration)], start=1):
                put_cell(sheet, row, column, value)
            sheet.row_dimensions[row].height = 24
            row += 1
        for letter, width in zip("ABCDEFGH", (6, 16, 28, 10, 14, 18, 10, 10), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.cell(row=1, column=1).alignment = Alignment(horizontal="left")
    return workbook_bytes(workbook)


def attendance_xlsx(events: Iterable[Event]) -> bytes:
    """One sheet per event: status, check-in time (Shanghai) and credited hours."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    columns = [
        _("No."),
        _("Name"),
        _("Organisation"),
        _("Role"),
        _("Mobile"),
        _("Status"),
        _("Checked in at"),
        _("Hours"),
        _("Hours corrected"),
        _("Note"),
    ]
    statuses = [*Registration.SEAT_STATUSES, Registration.Status.WAITLISTED]
    for event in events:
        sheet = workbook.create_sheet(_sheet_title(event, used))
        row = _heading(sheet, event, _("attendance"), columns)
        for number, registration in enumerate(_registrations(event, statuses), start=1):
            checked_in = (
                timezone.localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if registration.checked_in_at
                else ""
            )
            values = [
                number,
                *_who(registration),
                registration.get_status_display(),
                checked_in,
                registration.hours,
                _("yes") if registration.hours_corrected else "",
                registration.hours_note,
            ]
            for column, value in enumerate(values, start=1):
                put_cell(sheet, row, column, value)
            row += 1
    return workbook_bytes(workbook)


def personal_data_xlsx(registrations: Iterable[Registration], participants=()) -> bytes:
    """One person's data on request (PIPL art. 45): full values, since it is theirs.

    A row per registration (participant or visitor), and a row for each selected
    participant without any registration.
    """
    header = [
        _("name"),
        _("mobile"),
        _("e-mail address"),
        _("organisation"),
        _("role"),
        _("event"),
        _("starts at"),
        _("status"),
        _("checked in at"),
        _("volunteer hours"),
    ]

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = [
        [
            r.name,
            r.mobile,
            r.email,
            str(r.organisation) if r.organisation else _("visitor"),
            r.participant.get_role_display() if r.participant else "",
            r.event.title,
            when(r.event.starts_at),
            r.get_status_display(),
            when(r.checked_in_at),
            r.hours if r.hours is not None else "",
        ]
        for r in registrations
    ]
    rows += [
        [p.name, p.mobile, "", str(p.organisation), p.get_role_display(), "", "", "", "", ""]
        for p in participants
    ]
    return xlsx_table(title=_("Personal data"), header=header, rows=rows)
