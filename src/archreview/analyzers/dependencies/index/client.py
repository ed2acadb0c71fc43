"""The package index's JSON API (``<root>/<name>/json``): one GET per
package through the scan's :class:`~.gate.NetworkGate`, answers summarised
and kept in the kv cache with a TTL."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

from .... import __version__
from .gate import Asker, Failed, NotFound, describe, http_failure
from .location import IndexLocation
from .releases import summarise

CACHE_NAMESPACE = "deps.index"


@dataclass
class Lookup:
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> summary
    missing: list[str] = field(default_factory=list)  # not on the index
    unknown: list[str] = field(default_factory=list)  # could not be asked
    from_cache: int = 0


class IndexClient:
    def __init__(self, location: IndexLocation, asker: Asker):
        self.location = location
        self.asker = asker
        self.gate = asker.gate
        self.timeout = asker.timeout
        self._local = threading.local()
        self._key = hashlib.sha256((location.json_api or "").encode()).hexdigest()[:16]

    def lookup(self, names: list[str]) -> Lookup:
        result = Lookup()
        answers, result.from_cache = self.asker.map(
            names, self._one, CACHE_NAMESPACE, lambda name: f"{self._key}:{name}"
        )
        for name in names:
            answer = answers.get(name)
            if answer is None:
                result.unknown.append(name)
            elif answer.get("missing"):
                result.missing.append(name)
            else:
                result.summaries[name] = answer
        return result

    def _one(self, name: str) -> dict[str, Any] | None:
        """The summary, ``{"missing": True}`` when the index has no such
        package, or None when it could not be asked."""
        try:
            return self.gate.call(lambda: summarise(self._get(name)))
        except NotFound:
            return {"missing": True}
        except Failed:
            return None

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = requests.Session()
            session.headers["User-Agent"] = f"archreview/{__version__}"
            session.headers["Accept"] = "application/json"
            session.verify = self.location.verify
            session.max_redirects = 5
            self._local.session = session
        return session

    def _get(self, name: str) -> dict[str, Any]:
        import requests

        try:
            response = self._session().get(self.location.project_url(name), timeout=self.timeout)
        except requests.RequestException as exc:
            raise describe(exc, self.timeout) from None
        if response.status_code == 404:
            raise NotFound(name)
        if response.status_code != 200:
            raise http_failure(response.status_code)
        try:
            data = response.json()
        except ValueError:
            raise Failed("the answer was not JSON (is json_api_url right?)", retry=False) from None
        if not isinstance(data, dict):
            raise Failed("unexpected answer", retry=False)
        return data
