"""Online vulnerability lookups through pip-audit's services, in-process.

Only exact ``(name, version)`` pairs that archreview has read from the
manifests are handed over, as pip-audit ``ResolvedDependency`` objects: no
requirement file, project folder or ``setup.py`` of the scanned repository
reaches pip-audit, so nothing can be resolved, built, installed or run. The
service is pip-audit's OSV service (``osv_url``, default pip-audit's own) or,
with ``vulnerability_service = "pypi"``, its PyPI service. pip-audit has no
stable Python API: its version is pinned in ``pyproject.toml`` and the tests
exercise this module against a fake OSV service on loopback.

pip-audit's results carry no severity: every advisory found this way gets the
default severity (see ``severity.py``). Answers are kept in the kv cache for
``cache_ttl_hours``; pip-audit's own HTTP cache lives under archreview's cache
folder (a temporary folder with ``--no-cache``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..index.gate import Asker, Failed, describe
from ..model import Vuln
from . import osv
from .interface import AuditResult, VulnerabilityService

CACHE_NAMESPACE = "deps.vulns"


class PipAuditService(VulnerabilityService):
    def __init__(self, kind: str, osv_url: str | None, asker: Asker, default_severity: str):
        self.kind = kind
        self.osv_url = osv_url
        self.asker = asker
        self.gate = asker.gate
        self.timeout = asker.timeout
        self.cache = asker.cache
        self.default_severity = default_severity
        self._local = threading.local()
        self._http_cache: Path | None = None
        self._skipped: list[str] = []
        self.description = f"pip-audit's {'PyPI' if kind == 'pypi' else 'OSV'} service"
        self._key = hashlib.sha256(f"{kind}\0{osv_url or ''}".encode()).hexdigest()[:16]

    def audit(self, packages: list[tuple[str, str]]) -> AuditResult:
        result = AuditResult()
        if importlib.util.find_spec("pip_audit") is None:  # imported only when a lookup is not cached
            result.notes.append("pip-audit is not installed: vulnerabilities were not checked online")
            return result
        temporary = None
        if self.cache is not None:
            self._http_cache = Path(self.cache.directory) / "pip-audit-http"
        else:
            temporary = tempfile.mkdtemp(prefix="archreview-pip-audit-")
            self._http_cache = Path(temporary)
        try:
            answers, _ = self.asker.map(
                packages, self._one, CACHE_NAMESPACE, lambda pair: f"{self._key}:{pair[0]}:{pair[1]}"
            )
        finally:
            if temporary:
                shutil.rmtree(temporary, ignore_errors=True)
        if self._skipped:
            result.notes.append(
                f"{self.description} could not audit {len(self._skipped)} versions "
                f"(not found there, or not a release it knows): {', '.join(sorted(self._skipped)[:5])}"
            )
        for pair, stored in answers.items():
            if stored is not None:
                result.vulns[pair] = [
                    Vuln(**{**v, "aliases": tuple(v["aliases"]), "fixed_in": tuple(v["fixed_in"])}) for v in stored
                ]
        return result

    def _service(self):
        service = getattr(self._local, "service", None)
        if service is None:
            from pip_audit._service import OsvService, PyPIService

            timeout = max(1, int(round(self.timeout)))
            if self.kind == "pypi":
                service = PyPIService(cache_dir=self._http_cache, timeout=timeout)
            else:
                kwargs = {"osv_url": self.osv_url} if self.osv_url else {}
                service = OsvService(cache_dir=self._http_cache, timeout=timeout, **kwargs)
            self._local.service = service
        return service

    def _one(self, pair: tuple[str, str]) -> list[dict[str, Any]] | None:
        """The advisories as JSON-able dicts, or None when not audited."""
        name, version = pair
        parsed = osv.parse_version(version)
        if parsed is None:
            return None
        try:
            vulns = self.gate.call(lambda: self._query(name, parsed))
        except Failed:
            return None
        return None if vulns is None else [v.to_dict() for v in vulns]

    def _query(self, name: str, version) -> list[Vuln] | None:
        import requests
        from pip_audit._service import ResolvedDependency, ServiceError

        try:
            spec, results = self._service().query(ResolvedDependency(name=name, version=version))
        except ServiceError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, requests.RequestException):
                raise describe(cause, self.timeout) from None
            raise Failed(str(exc) or type(exc).__name__) from None
        except requests.RequestException as exc:
            raise describe(exc, self.timeout) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise Failed(f"unexpected answer ({type(exc).__name__})", retry=False) from None
        if spec.is_skipped():
            self._skipped.append(f"{name} {version}")  # list.append is atomic: safe across threads
            return None
        vulns = [
            Vuln(
                id=str(item.id),
                aliases=tuple(sorted(str(a) for a in item.aliases)),
                fixed_in=tuple(str(v) for v in sorted(item.fix_versions) if v > version),
                severity=self.default_severity,
                severity_from="default",
                summary=" ".join(str(item.description or "").split())[: osv.SUMMARY_LIMIT],
            )
            for item in results
        ]
        return osv.merge_aliases(vulns)
