"""Where known vulnerabilities come from: one interface, one module per
service (a local OSV database, or pip-audit's online services)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from ..model import Vuln


@dataclass
class AuditResult:
    #: (canonical name, version) -> advisories; a pair that is missing was not audited
    vulns: dict[tuple[str, str], list[Vuln]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: how recent the advisory data is (YYYY-MM-DD of its newest advisory),
    #: for a local copy that may be old; None for a live service
    data_date: str | None = None


class VulnerabilityService(ABC):
    #: how the report names the source of the advisories
    description: str

    @abstractmethod
    def audit(self, packages: list[tuple[str, str]]) -> AuditResult:
        """Advisories for exact ``(canonical name, version)`` pairs. Never
        raises for a network or data problem: unaudited pairs are left out and
        a note says why."""
