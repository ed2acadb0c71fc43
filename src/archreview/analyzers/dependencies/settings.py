"""``[tool.archreview.dependencies]``: the analyzer's settings, checked.

[tool.archreview.dependencies]
index_url = "https://mirror.example/simple"   # else PIP_INDEX_URL, else pip's config
json_api_url = "https://mirror.example/pypi"  # JSON API root, if not derivable from index_url
cache_ttl_hours = 24          # how long package-index answers are reused
timeout = 10                  # seconds per request
retries = 2                   # extra attempts after a failed request
concurrency = 8               # requests in flight
network_budget_seconds = 120  # stop asking after this long; the rest is "unknown"
vulnerability_service = "osv" # online audit through pip-audit: "osv" or "pypi"
osv_url = "..."               # OSV query endpoint (default: pip-audit's)
abandoned_years = 2           # no release for this long: possibly abandoned
outdated_majors = 1           # this many major versions behind: far behind
outdated_days = 730           # or the pin is this many days older than the latest
default_severity = "high"     # for advisories that carry no severity
ignore_vulns = ["PYSEC-2021-1"]  # advisory ids or aliases to leave out
exclude = ["examples/**"]     # manifests not to read (gitignore patterns)
max_lines = 20000             # lines read from one requirements file
max_bytes = 33554432          # larger manifests and lockfiles are not read
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...config import number, string_list
from ...errors import ConfigError
from ...model import SEVERITIES

SECTION = "dependencies"
SERVICES = ("osv", "pypi")


@dataclass(frozen=True)
class DependencySettings:
    index_url: str | None = None
    json_api_url: str | None = None
    cache_ttl_hours: float = 24.0
    timeout: float = 10.0
    retries: int = 2
    concurrency: int = 8
    network_budget_seconds: float = 120.0
    vulnerability_service: str = "osv"
    osv_url: str | None = None
    abandoned_years: float = 2.0
    outdated_majors: int = 1
    outdated_days: int = 730
    outdated_releases: int = 3
    default_severity: str = "high"
    ignore_vulns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_lines: int = 20_000
    max_bytes: int = 32 * 1024 * 1024

    @classmethod
    def from_section(cls, data: dict[str, Any]) -> DependencySettings:
        where = f"[tool.archreview.{SECTION}]"
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown setting {unknown[0]!r}")
        values: dict[str, Any] = {}
        for key in ("index_url", "json_api_url", "osv_url"):
            if key in data:
                if not isinstance(data[key], str) or not data[key].strip():
                    raise ConfigError(f"{where}: {key} must be a non-empty string")
                values[key] = data[key].strip()
        for key, kind in (
            ("cache_ttl_hours", float),
            ("timeout", float),
            ("retries", int),
            ("concurrency", int),
            ("network_budget_seconds", float),
            ("abandoned_years", float),
            ("outdated_majors", int),
            ("outdated_days", int),
            ("outdated_releases", int),
            ("max_lines", int),
            ("max_bytes", int),
        ):
            if key in data:
                values[key] = number(data, key, None, where, kind)
        if values.get("concurrency") == 0:
            raise ConfigError(f"{where}: concurrency must be at least 1")
        if "vulnerability_service" in data:
            if data["vulnerability_service"] not in SERVICES:
                raise ConfigError(f"{where}: vulnerability_service must be one of {', '.join(SERVICES)}")
            values["vulnerability_service"] = data["vulnerability_service"]
        if "default_severity" in data:
            if data["default_severity"] not in SEVERITIES:
                raise ConfigError(f"{where}: default_severity must be one of {', '.join(SEVERITIES)}")
            values["default_severity"] = data["default_severity"]
        for key in ("ignore_vulns", "exclude"):
            if key in data:
                values[key] = tuple(string_list(data, key, where))
        return cls(**values)

    @property
    def cache_ttl_seconds(self) -> float:
        return self.cache_ttl_hours * 3600.0
