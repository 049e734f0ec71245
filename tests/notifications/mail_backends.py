"""A local-memory mail backend that behaves like an SMTP server at the edges the outbox cares
about: it counts the connections opened, refuses addresses starting with ``refuse-`` (550,
the session goes on) and can be told to die after some sends (``Counting.die_after``)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class Died(BaseException):
    """The worker dying mid-batch (as SIGKILL or an out-of-memory kill would): nothing
    in the batch can catch it."""


class Counting(EmailBackend):
    opened = 0
    sends = 0
    die_after: int | None = None

    @classmethod
    def reset(cls) -> None:
        cls.opened, cls.sends, cls.die_after = 0, 0, None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        type(self).opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        cls = type(self)
        if cls.die_after is not None and cls.sends >= cls.die_after:
            raise Died
        for message in messages:
            refused = [to for to in message.to if to.startswith("refuse-")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {to: (550, b"5.1.1 mailbox unavailable") for to in refused}
                )
        cls.sends += len(messages)
        return super().send_messages(messages)
