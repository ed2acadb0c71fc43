"""Every network request of one scan goes through one gate: a timeout per
request, a bounded number of retries with a short back-off, a time budget
for the whole scan, and a breaker that stops asking once a service has
failed several lookups in a row without one success (a network that is down
costs seconds, not one timeout per package). What could not be asked stays
"unknown" and the gate says why."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

BACKOFF = (0.5, 1.5, 3.0)
#: a service that could not be reached at all is not asked again for this
#: long (kv namespace DOWN_NAMESPACE): ten scans in a row with the network
#: down each say so at once instead of each spending seconds on retries
DOWN_NAMESPACE = "deps.down"
DOWN_SECONDS = 600.0


class NotFound(Exception):
    """The service answered: there is no such package (not a failure)."""


class Failed(Exception):
    """A request failed; ``reason`` is a short phrase for the report."""

    def __init__(self, reason: str, retry: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass
class NetworkGate:
    service: str  # e.g. "the package index at pypi.example"
    retries: int = 2
    budget: float = 120.0
    max_failures: int = 3
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    closed: str | None = None  # why no more requests are made
    failures: int = 0  # lookups that failed after their retries
    successes: int = 0
    _streak: int = 0
    _started: float | None = None
    _reasons: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, request: Callable[[], Any]) -> Any:
        """``request()``'s result; raises NotFound, or Failed when the lookup
        failed or the gate is closed."""
        with self._lock:
            if self._started is None:
                self._started = self.clock()
            if self.closed is None and self.clock() - self._started > self.budget:
                self.closed = f"stopped asking after {self.budget:g} s (network_budget_seconds)"
            if self.closed:
                raise Failed(self.closed, retry=False)
        reason = "failed"
        for attempt in range(self.retries + 1):
            try:
                result = request()
            except NotFound:
                self._record(success=True)
                raise
            except Failed as exc:
                reason = exc.reason
                if not exc.retry:
                    break
                if attempt < self.retries and not self.closed:
                    self.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                continue
            self._record(success=True)
            return result
        self._record(success=False, reason=reason)
        raise Failed(reason, retry=False)

    def _record(self, success: bool, reason: str = "") -> None:
        with self._lock:
            if success:
                self.successes += 1
                self._streak = 0
                return
            self.failures += 1
            self._streak += 1
            self._reasons[reason] = self._reasons.get(reason, 0) + 1
            if self._streak >= self.max_failures and self.successes == 0 and not self.closed:
                self.closed = f"gave up after {self._streak} failed lookups in a row ({reason})"

    def summary(self) -> str | None:
        """One sentence on what went wrong, or None when nothing did."""
        if self.closed:
            return f"{self.service}: {self.closed}"
        if not self.failures:
            return None
        common = max(self._reasons, key=self._reasons.get)
        return f"{self.service}: {self.failures} lookups failed ({common})"


def describe(exc: BaseException, timeout: float) -> Failed:
    """A requests exception as a short, credential-free reason."""
    import requests

    if isinstance(exc, requests.Timeout):
        return Failed(f"no answer within {timeout:g} s")
    if isinstance(exc, requests.exceptions.SSLError):
        return Failed("TLS certificate problem", retry=False)
    if isinstance(exc, requests.ConnectionError):
        return Failed("could not connect (network down, proxy or firewall?)")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return http_failure(exc.response.status_code)
    return Failed(type(exc).__name__)


def http_failure(status: int) -> Failed:
    if status in (401, 403):
        return Failed(f"access denied (HTTP {status}): check the index credentials", retry=False)
    if status == 429:
        return Failed("rate limited (HTTP 429)")
    return Failed(f"HTTP {status}", retry=status >= 500)


@dataclass
class Asker:
    """How one service is asked: through its gate, ``concurrency`` requests at
    a time, each with ``timeout``; answers kept in the kv ``cache`` (None with
    ``--no-cache``) for ``ttl`` seconds."""

    gate: NetworkGate
    timeout: float
    cache: Any
    ttl: float
    concurrency: int

    def map(self, items: list[Any], fetch: Callable[[Any], Any], namespace: str, key: Callable[[Any], str]):
        """``fetch`` every item the cache does not hold; answers that are not
        None are stored. Returns ({item: answer}, how many came from the cache)."""
        answers: dict[Any, Any] = {}
        pending: list[Any] = []
        for item in items:
            stored = self.cache.get_kv(namespace, key(item), self.ttl) if self.cache is not None else None
            if stored is None:
                pending.append(item)
            else:
                answers[item] = stored
        if pending:
            self._remember_down()
            with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(pending)))) as pool:
                fetched = list(pool.map(fetch, pending))
            for item, answer in zip(pending, fetched, strict=True):
                answers[item] = answer
                if self.cache is not None and answer is not None:
                    self.cache.put_kv(namespace, key(item), answer)
            self._note_down()
        return answers, len(items) - len(pending)

    def _remember_down(self) -> None:
        """Close the gate at once when the service could not be reached in
        the last DOWN_SECONDS (by this or an earlier scan)."""
        if self.cache is None or self.gate.closed:
            return
        down = self.cache.get_kv(DOWN_NAMESPACE, self.gate.service, DOWN_SECONDS)
        if isinstance(down, dict) and isinstance(down.get("closed"), str):
            self.gate.closed = (
                f"{down['closed']} at {down.get('at', '?')} UTC; not asked again for {DOWN_SECONDS / 60:g} minutes"
            )

    def _note_down(self) -> None:
        gate = self.gate
        if self.cache is None or not gate.closed or gate.successes or not gate.failures:
            return  # answered at least once, or closed by the budget or by an earlier note
        if not gate.closed.startswith("gave up"):
            return
        at = time.strftime("%H:%M", time.gmtime())
        self.cache.put_kv(DOWN_NAMESPACE, gate.service, {"closed": gate.closed, "at": at})
