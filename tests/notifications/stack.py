"""The outbox integration stack: its own Redis, SMTP server, Celery worker and beats (see test_integration)."""

import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.waiting import wait_until

REDIS_SERVER = shutil.which("redis-server")
HERE = pathlib.Path(__file__).resolve().parent
BASE_DIR = pathlib.Path(settings.BASE_DIR)

# Short periods so a scenario takes seconds, not minutes.
DISPATCH_SECONDS = 1
SENDING_TIMEOUT_SECONDS = 4
VISIBILITY_TIMEOUT_SECONDS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'])}"


class Stack:
    """Redis, an SMTP capture server, a Celery worker and two beats, all ours."""

    def __init__(self, folder: pathlib.Path, db_url: str):
        self.folder = folder
        self.mail_folder = folder / "mail"
        self.mail_folder.mkdir()
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.broker_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.db_url = db_url
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_starts = 0

    # --- processes -----------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches its children
            cwd=BASE_DIR,
            **kwargs,
        )
        log.close()
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def count(self, name: str, text: str) -> int:
        """How many times ``text`` appears in the log of process ``name``."""
        return self.log(name).count(text)

    def succeeded(self, task: str) -> int:
        """How many ``notifications.tasks.<task>`` runs the worker has finished."""
        return sum(
            f"Task notifications.tasks.{task}[" in line and "] succeeded" in line
            for line in self.log("worker").splitlines()
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {name}.log (last lines) ---\n" + "\n".join(self.log(name).splitlines()[-40:])
            for name in sorted({*self.processes, "worker"})
        )

    def stop(self, name: str, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def env(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "YILU_", "DJANGO_", "EMAIL_", "REDIS_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "YILU_CELERY_EAGER": "false",
                "YILU_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
                "CELERY_BROKER_URL": self.broker_url,
                "REDIS_URL": "",
                "DATABASE_URL": self.db_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
                "SITE_URL": "http://testserver",
                "YILU_NOTIFICATIONS_DISPATCH_SECONDS": str(DISPATCH_SECONDS),
                "YILU_NOTIFICATIONS_PLAN_SECONDS": "1",
                "YILU_NOTIFICATIONS_SWEEP_SECONDS": "1",
                "YILU_NOTIFICATIONS_SENDING_TIMEOUT": str(SENDING_TIMEOUT_SECONDS),
                "YILU_NOTIFICATIONS_RETRY_BASE": "1",
                "YILU_NOTIFICATIONS_RETRY_MAX": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def redis_ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.redis_port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            [
                REDIS_SERVER,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
        )
        wait_until(self.redis_ping, timeout=15, what="redis-server", details=self.logs)

    def freeze_redis(self) -> None:
        """SIGSTOP: connections stay open and the port accepts, but nothing answers."""
        os.kill(self.processes["redis"].pid, signal.SIGSTOP)

    def thaw_redis(self) -> None:
        os.kill(self.processes["redis"].pid, signal.SIGCONT)
        wait_until(self.redis_ping, timeout=15, what="redis to answer again", details=self.logs)

    def unacked_tasks(self, task: str) -> set[str]:
        """Ids of the ``task`` deliveries the broker holds as taken and not acknowledged."""
        import redis

        client = redis.Redis(port=self.redis_port, socket_connect_timeout=0.5)
        entries = [json.loads(raw)[0] for raw in client.hvals("unacked")]
        return {e["headers"]["id"] for e in entries if e["headers"]["task"] == task}

    def stop_redis(self) -> None:
        self.stop("redis")
        wait_until(lambda: not self.redis_ping(), timeout=10, what="redis to stop")

    def start_smtp(self) -> None:
        self._spawn(
            "smtp",
            [
                sys.executable,
                str(HERE / "smtp_capture.py"),
                "--port",
                str(self.smtp_port),
                "--folder",
                str(self.mail_folder),
            ],
        )
        wait_until(
            lambda: (self.mail_folder / "ready").exists(),
            timeout=15,
            what="the SMTP server",
            details=self.logs,
        )

    def start_worker(self) -> None:
        self.worker_starts += 1
        name = f"worker{self.worker_starts}"
        (self.folder / "worker.log").write_bytes(b"")
        self._spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env(),
        )
        wait_until(
            lambda: " ready." in self.log("worker"),
            timeout=60,
            what="the Celery worker",
            details=self.logs,
        )

    def kill_worker(self) -> None:
        """SIGKILL the worker's whole process group: no cleanup, no ack."""
        self.stop("worker", sig=signal.SIGKILL)

    def start_beat(self, name: str) -> None:
        self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.folder / f"{name}-schedule"),
                "--pidfile",
                str(self.folder / f"{name}.pid"),
            ],
            env=self.env(),
        )

    # --- captured mail -------------------------------------------------------------
    def mails_to(self, address: str) -> list[dict]:
        found = []
        for path in sorted(self.mail_folder.glob("*.json")):
            payload = json.loads(path.read_text(encoding="utf-8"))
            if address in payload["to"]:
                found.append(payload)
        return found

    def connections(self) -> int:
        """How many SMTP sessions the capture server has greeted."""
        path = self.mail_folder / "connections.log"
        return len(path.read_text().splitlines()) if path.exists() else 0

    def holding(self, address: str) -> bool:
        return (self.mail_folder / f"holding-{address}").exists()
