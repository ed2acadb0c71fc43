"""The data that flows through a scan: findings, per-file metrics, coverage and
the ScanResult document every later stage reads.

Everything here is a plain dataclass with ``to_dict``/``from_dict`` so that a
result can be stored as JSON and rendered again later without rescanning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1

#: dependency groups that hold the team's tools (dev, test, docs, lint...),
#: not what the product runs on
TOOL_GROUP = re.compile(
    r"(?i)(^|[-_])(dev|develop|development|tests?|testing|lint|linting|docs?|typing|types|ci|github-actions|release|format|style|bench|benchmarks?)($|[-_])"
)

# One severity scale for every analyzer, most severe first.
SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: len(SEVERITIES) - i for i, name in enumerate(SEVERITIES)}
#: each severity one step less urgent (info stays info)
LOWER_SEVERITY = {name: SEVERITIES[min(i + 1, len(SEVERITIES) - 1)] for i, name in enumerate(SEVERITIES)}

AREAS = (
    "complexity",
    "security",
    "secrets",
    "dependencies",
    "readiness",
    "architecture",
    "activity",
)


def _from_known_fields(cls, data: dict[str, Any]):
    """Build a dataclass from a dict, ignoring keys it does not know (newer
    writers may add fields)."""
    known = _KNOWN_FIELDS[cls]
    return cls(**{k: v for k, v in data.items() if k in known})


def severity_at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as severe as ``threshold`` or more."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]


@dataclass
class Finding:
    """One problem found in the code, on the scale shared by all analyzers.

    ``basis`` is the normalised source text the finding is about; together with
    rule and path it makes the fingerprint, so a finding keeps its identity when
    unrelated edits move it to another line. It never holds a secret value.
    """

    rule: str
    area: str
    severity: str
    path: str
    line: int
    message: str
    plain: str
    effort_minutes: int
    fingerprint: str = ""
    basis: str = ""
    end_line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        if not data["extra"]:
            del data["extra"]
        else:
            data["extra"] = dict(data["extra"])
        if data["end_line"] is None:
            del data["end_line"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return _from_known_fields(cls, data)


@dataclass
class Skipped:
    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class Coverage:
    """What was looked at and what was not, and why."""

    files_total: int = 0
    python_files: int = 0
    analyzed: int = 0
    lines_analyzed: int = 0
    excluded: int = 0
    excluded_by: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: product code files in other languages (not analysed), per language
    other_code: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_total": self.files_total,
            "python_files": self.python_files,
            "analyzed": self.analyzed,
            "lines_analyzed": self.lines_analyzed,
            "excluded": self.excluded,
            "excluded_by": dict(sorted(self.excluded_by.items())),
            "skipped": [s.to_dict() for s in self.skipped],
            "notes": list(self.notes),
            "other_code": dict(sorted(self.other_code.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        return cls(
            files_total=data.get("files_total", 0),
            python_files=data.get("python_files", 0),
            analyzed=data.get("analyzed", 0),
            lines_analyzed=data.get("lines_analyzed", 0),
            excluded=data.get("excluded", 0),
            excluded_by=dict(data.get("excluded_by", {})),
            skipped=[Skipped(s["path"], s["reason"]) for s in data.get("skipped", [])],
            notes=list(data.get("notes", [])),
            other_code={str(k): int(v) for k, v in (data.get("other_code") or {}).items()},
        )


RAW_FIELDS = ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments")


@dataclass
class FileMetrics:
    """Per-file measurements of one Python file.

    The seven raw counts use radon's names and definitions; ``mi`` is radon's
    maintainability index; ``cc_max``/``cc_total`` are the max/sum of radon's
    cyclomatic complexity over the functions and methods radon lists.
    """

    path: str
    blob: str
    role: str = "source"  # source | test
    loc: int = 0
    lloc: int = 0
    sloc: int = 0
    comments: int = 0
    multi: int = 0
    blank: int = 0
    single_comments: int = 0
    mi: float = 100.0
    cc_total: int = 0
    cc_max: int = 0
    functions: int = 0
    halstead_volume: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FILE_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileMetrics:
        return _from_known_fields(cls, data)


@dataclass
class FunctionMetric:
    path: str
    name: str
    line: int
    end_line: int
    cc: int
    rank: str

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FUNCTION_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FunctionMetric:
        return _from_known_fields(cls, data)


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_FILE_FIELDS = tuple(f.name for f in fields(FileMetrics))
_FUNCTION_FIELDS = tuple(f.name for f in fields(FunctionMetric))
_KNOWN_FIELDS = {
    Finding: frozenset(_FINDING_FIELDS),
    FileMetrics: frozenset(_FILE_FIELDS),
    FunctionMetric: frozenset(_FUNCTION_FIELDS),
}


@dataclass
class ScanResult:
    """The one document a scan produces. ``sections`` holds the parts added by
    repository-level analyzers (dependencies, readiness, vendors, activity,
    architecture, ...), each under its own key, so a new analyzer adds a key
    and nothing else changes."""

    revision: str | None
    scanned_at: str
    repository: dict[str, Any]
    coverage: Coverage
    files: list[FileMetrics] = field(default_factory=list)
    functions: list[FunctionMetric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    analyzers: dict[str, str] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    tool_version: str = ""
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "tool": {"name": "archreview", "version": self.tool_version},
            "revision": self.revision,
            "scanned_at": self.scanned_at,
            "repository": self.repository,
            "coverage": self.coverage.to_dict(),
            "analyzers": dict(sorted(self.analyzers.items())),
            "files": [f.to_dict() for f in self.files],
            "functions": [f.to_dict() for f in self.functions],
            "findings": [f.to_dict() for f in self.findings],
        }
        for key, value in self.sections.items():
            data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanResult:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"result has schema_version {version!r}; this archreview reads {SCHEMA_VERSION}"
            )
        core = {
            "schema_version",
            "tool",
            "revision",
            "scanned_at",
            "repository",
            "coverage",
            "analyzers",
            "files",
            "functions",
            "findings",
        }
        return cls(
            revision=data.get("revision"),
            scanned_at=data["scanned_at"],
            repository=dict(data.get("repository", {})),
            coverage=Coverage.from_dict(data.get("coverage", {})),
            files=[FileMetrics.from_dict(f) for f in data.get("files", [])],
            functions=[FunctionMetric.from_dict(f) for f in data.get("functions", [])],
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            analyzers=dict(data.get("analyzers", {})),
            sections={k: v for k, v in data.items() if k not in core},
            tool_version=data.get("tool", {}).get("version", ""),
            schema_version=version,
        )
