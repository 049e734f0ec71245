"""A minimal HTTP client for the harness: one connection a request, timed."""

import http.client
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field


@dataclass
class Hit:
    status: int
    seconds: float
    size: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    def add(self, hit: Hit) -> None:
        self.seconds.append(hit.seconds)
        self.statuses.append(hit.status)

    @property
    def errors(self) -> list[int]:
        return [status for status in self.statuses if not 200 <= status < 300]


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    cookies: dict | None = None,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 120,
) -> Hit:
    all_headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        headers = {name: value for name, value in response.getheaders()}
        headers["Set-Cookie"] = ", ".join(response.msg.get_all("Set-Cookie") or [])
        return Hit(response.status, elapsed, len(data), data, headers)
    except (OSError, http.client.HTTPException):
        return Hit(599, time.perf_counter() - started, 0)
    finally:
        connection.close()


def concurrent(calls, *, clients: int) -> tuple[list[Hit], float]:
    """Run the zero-argument ``calls`` from ``clients`` threads; the hits and the wall time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        hits = list(pool.map(lambda call: call(), calls))
    return hits, time.perf_counter() - started
