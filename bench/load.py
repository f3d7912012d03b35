"""A bounded number of HTTP requests from client threads, with each one's latency and outcome."""

import http.client
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Outcome:
    latencies: list[float]  # seconds, successful requests only
    failures: list[str]
    seconds: float  # wall-clock time of the whole run

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)


def send(port: int, request: Request) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run(
    port: int,
    requests: Callable[[int], Request],
    *,
    count: int,
    concurrency: int,
    check: Callable[[int, bytes], str | None],
) -> Outcome:
    """Send `count` requests (request i is requests(i)) from `concurrency` threads.

    `check(status, body)` returns None for a good answer or a short reason for a bad one.
    """
    counter = itertools.count()
    lock = threading.Lock()
    latencies, failures = [], []

    def worker():
        while (index := next(counter)) < count:
            started = time.perf_counter()
            try:
                status, body = send(port, requests(index))
                problem = check(status, body)
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - started
            with lock:
                (failures.append(problem) if problem else latencies.append(elapsed))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Outcome(latencies=latencies, failures=failures, seconds=time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]
