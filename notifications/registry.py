"""Where apps tell the outbox what they send, without the outbox importing them.

The outbox is a bottom layer: it knows no domain app. Each app registers, from
its ``AppConfig.ready()``, the message kinds it enqueues and the reminder
subjects it computes (in ``<app>/reminders.py``)::

    from notifications.registry import register_kind, register_subject

    register_kind("booth_decided", _("caravan booth decided"), mandatory=True)
    register_subject(
        "booth_open_slots",
        _("caravan booth slots still open"),
        reminders=caravan.reminders.open_slots,   # (*, rule, since, until) -> Iterable[Reminder]
    )

A subject is also a message kind (the reminders it yields carry ``kind=code``),
optional unless said otherwise. Its default ``ReminderRule`` rows come from a
data migration in the owning app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class MessageKind:
    code: str
    label: str | Promise
    # Confirmations and decisions are always sent: nobody can unsubscribe from them.
    mandatory: bool = False


@dataclass(frozen=True)
class ReminderSubject:
    code: str
    label: str | Promise
    # reminders(*, rule, since, until) -> Iterable[notifications.reminders.Reminder]
    reminders: Callable[..., Iterable]


_KINDS: dict[str, MessageKind] = {}
_SUBJECTS: dict[str, ReminderSubject] = {}


def register_kind(code: str, label: str | Promise, *, mandatory: bool = False) -> None:
    """Declare a message kind (idempotent: a second registration of ``code`` is ignored)."""
    _KINDS.setdefault(code, MessageKind(code, label, mandatory))


def register_subject(
    code: str, label: str | Promise, *, reminders: Callable[..., Iterable], mandatory: bool = False
) -> None:
    """Declare a reminder subject and its message kind (idempotent)."""
    _SUBJECTS.setdefault(code, ReminderSubject(code, label, reminders))
    register_kind(code, label, mandatory=mandatory)


def kind_get(code: str) -> MessageKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str | Promise:
    kind = _KINDS.get(code)
    return kind.label if kind else code


def kind_is_mandatory(code: str) -> bool:
    kind = _KINDS.get(code)
    return bool(kind and kind.mandatory)


def kind_choices() -> list[tuple[str, str | Promise]]:
    return sorted(((k.code, k.label) for k in _KINDS.values()), key=lambda pair: pair[0])


def subject_get(code: str) -> ReminderSubject | None:
    return _SUBJECTS.get(code)


def subject_choices() -> list[tuple[str, str | Promise]]:
    return sorted(((s.code, s.label) for s in _SUBJECTS.values()), key=lambda pair: pair[0])
