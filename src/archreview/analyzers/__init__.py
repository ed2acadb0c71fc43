"""Analyzer registry: one line per analyzer.

File analyzers run per file in the worker processes (see ``base.FileAnalyzer``);
repository analyzers run once per scan in the parent (``base.RepoAnalyzer``).
Imports are lazy so that a command that needs no analyzer stays fast.
"""

from __future__ import annotations

from importlib import import_module

FILE_ANALYZERS = (
    "archreview.analyzers.complexity:ComplexityAnalyzer",
    "archreview.analyzers.security:SecurityAnalyzer",
    "archreview.analyzers.imports:ImportsAnalyzer",
    "archreview.analyzers.rulefiles:RulesAnalyzer",
    "archreview.analyzers.secrets:SecretsAnalyzer",
)

#: file analyzers whose per-file output only feeds repository analyzers
#: (facts, never findings): a run without repository analyzers (``check``)
#: leaves them out, without importing them
FACT_ANALYZERS = frozenset(
    {
        "archreview.analyzers.imports:ImportsAnalyzer",
        "archreview.analyzers.rulefiles:RulesAnalyzer",
    }
)

REPO_ANALYZERS: tuple[str, ...] = (
    # order matters: readiness builds the vendor inventory from the
    # dependencies and architecture (third-party imports) sections
    "archreview.analyzers.dependencies:DependenciesAnalyzer",
    "archreview.analyzers.architecture:ArchitectureAnalyzer",
    "archreview.analyzers.readiness:ReadinessAnalyzer",
    "archreview.analyzers.secrets_history:SecretsHistoryAnalyzer",
    "archreview.analyzers.activity:ActivityAnalyzer",
)


def _load(spec: str):
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def file_analyzer_classes(findings_only: bool = False) -> list[type]:
    """The file analyzers; with ``findings_only``, those whose output can hold findings."""
    return [_load(spec) for spec in FILE_ANALYZERS if not (findings_only and spec in FACT_ANALYZERS)]


def repo_analyzer_classes() -> list[type]:
    return [_load(spec) for spec in REPO_ANALYZERS]
