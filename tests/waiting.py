"""Waiting on conditions, never on the wall clock.

A test never sleeps for a fixed time and never asserts how long something
took: it waits until a condition holds, and the only thing time decides is
when to give up (the test then fails with what it was waiting for).
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    *,
    timeout: float,
    what: str,
    details: Callable[[], str] | None = None,
    interval: float = 0.1,
) -> T:
    """Poll ``predicate`` until it returns something truthy and return that; fail after
    ``timeout`` seconds with ``what`` (and ``details()``, e.g. the logs of a process)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    extra = f"\n{details()}" if details else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{extra}")


def finishes_within(function: Callable[[], T], *, timeout: float, what: str) -> T:
    """Run ``function`` in a thread and return its result; fail if it has not returned
    after ``timeout`` seconds (a bound on a wait, not a measured duration).

    The thread has its own database connections (committed data only: use it in
    transactional tests) and closes them when it ends."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=f"finishes_within: {what}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise AssertionError(f"{what} had not finished after {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
