"""The processes ``make bench`` starts and stops: Redis, gunicorn, a Celery worker.

Peak memory is each process's high-water mark (``VmHWM`` in ``/proc/<pid>/status``).
"""

import os
import shutil
import signal

# The bench starts local servers from fixed argument lists (bandit B404/B603 marked nosec).
import subprocess  # nosec B404
import sys
import time
from pathlib import Path

from .http import request

BIN = Path(sys.executable).parent


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _which(program: str) -> str:
    """The full path of ``program`` on PATH (the bench never runs a command it was given)."""
    found = shutil.which(program)
    if found is None:
        raise RuntimeError(f"{program} is not installed (apt-get install redis-server)")
    return found


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        args = [_which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port)]
        args += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)  # nosec B603
        for _attempt in range(50):
            ping = subprocess.run(  # nosec B603
                [_which("redis-cli"), "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return self
            time.sleep(0.1)
        raise RuntimeError(f"Redis did not start on port {self.port}")

    def __exit__(self, *exc):
        _stop(self.process)


class Gunicorn:
    """``gunicorn config.wsgi`` with 2 sync workers on 127.0.0.1:``port``."""

    def __init__(self, port: int, env: dict, workers: int = 2, log: Path | None = None):
        self.port, self.env, self.workers, self.log = port, env, workers, log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        args = [str(BIN / "gunicorn"), "config.wsgi", "--workers", str(self.workers)]
        args += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "300"]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # nosec B603
            args, env={**os.environ, **self.env}, stdout=out, stderr=out
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start (see its log)")
            if request(self.port, "/_bench/bare/", timeout=5).status == 200:
                return self
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_peak_mb(self) -> float:
        return max((peak_rss_mb(pid) for pid in children(self.process.pid)), default=0.0)

    def __exit__(self, *exc):
        _stop(self.process)


class CeleryWorker:
    """``celery -A config worker`` as the Procfile runs it: the prefork pool with
    ``concurrency`` processes (the Procfile's default ``CELERY_CONCURRENCY`` is 2)."""

    def __init__(self, env: dict, log: Path | None = None, concurrency: int = 2):
        self.env, self.log, self.concurrency = env, log, concurrency
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        args = [str(BIN / "celery"), "-A", "config", "worker", "--pool", "prefork"]
        args += ["--concurrency", str(self.concurrency)]
        args += ["--loglevel", "WARNING", "--without-heartbeat", "--without-gossip"]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # nosec B603
            args, env={**os.environ, **self.env}, stdout=out, stderr=out
        )
        return self

    def call(self, task: str) -> None:
        """Queue ``task`` through the worker's own broker (``celery call``)."""
        args = [str(BIN / "celery"), "-A", "config", "call", task]
        subprocess.run(  # nosec B603
            args, env={**os.environ, **self.env}, check=True, capture_output=True, timeout=60
        )

    def peak_mb(self) -> float:
        pids = [self.process.pid, *children(self.process.pid)]
        return max(peak_rss_mb(pid) for pid in pids)

    def __exit__(self, *exc):
        _stop(self.process)
