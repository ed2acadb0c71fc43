"""The gate: which findings fail a run (``scan --fail-on``, ``check``) and
the one line that says why.

A finding fails the gate when it is at or above the threshold severity.
Secrets fail whatever their severity: a committed credential is a problem
at any level. ``none`` turns the gate off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .errors import ConfigError
from .model import SEVERITIES, Finding, severity_at_least

GATE_OFF = "none"
GATE_LEVELS = (*SEVERITIES, GATE_OFF)
DEFAULT_FAIL_ON = "high"
RULES_SHOWN = 4


def fail_on_setting(value: str | None, config=None, default: str | None = DEFAULT_FAIL_ON) -> str | None:
    """The threshold: the command-line value, else the configuration's
    ``fail_on``, else ``default``. Checked against the severity scale."""
    source = "--fail-on"
    if value is None and config is not None and config.get("fail_on") is not None:
        value, source = config.get("fail_on"), f"{config.source}: fail_on"
    if value is None:
        return default
    if not isinstance(value, str) or value.lower() not in GATE_LEVELS:
        raise ConfigError(f"{source} must be one of {', '.join(GATE_LEVELS)} (got {value!r})")
    return value.lower()


def failing(findings: Iterable[Finding], threshold: str | None) -> list[Finding]:
    """The findings that fail the gate at ``threshold``."""
    if threshold is None or threshold == GATE_OFF:
        return []
    return [f for f in findings if f.area == "secrets" or severity_at_least(f.severity, threshold)]


def explain(failures: list[Finding], threshold: str, *, new: bool = False) -> str:
    """``gate failed: 3 findings at or above high (2 security.B602, 1 secrets.aws-access-key)``."""
    count = len(failures)
    noun = "finding" if count == 1 else "findings"
    if new:
        noun = "new " + noun
    what = f"at or above {threshold}"
    if any(f.area == "secrets" and not severity_at_least(f.severity, threshold) for f in failures):
        what += " or secrets"
    by_rule = Counter(f.rule for f in failures).most_common()
    shown = ", ".join(f"{n} {rule}" for rule, n in by_rule[:RULES_SHOWN])
    if len(by_rule) > RULES_SHOWN:
        shown += f", {len(by_rule) - RULES_SHOWN} more rules"
    return f"gate failed: {count} {noun} {what} ({shown})"


def finding_line(finding: Finding) -> str:
    """``path:line: rule: plain sentence`` - what ``check`` prints per finding."""
    plain = " ".join((finding.plain or finding.message).split())
    return f"{finding.path or '.'}:{finding.line}: {finding.rule}: {plain}"


def scan_gate(result, config, repo_path, fail_on: str | None, baseline: str | None) -> str | None:
    """The gate of ``scan --fail-on``: the line that says why it failed, or
    None when it passed. With ``baseline`` only findings that are not in
    that stored result count. ``--baseline`` alone gates at the
    configuration's ``fail_on`` (default high)."""
    threshold = fail_on_setting(fail_on, config if baseline else None, default=DEFAULT_FAIL_ON if baseline else None)
    if threshold is None or threshold == GATE_OFF:
        return None
    findings = result.findings
    if baseline:
        from .baseline import load_result, new_findings, renames_since

        stored = load_result(baseline)
        findings = new_findings(findings, stored.findings, renames_since(repo_path, stored.revision, result.revision))
    failures = failing(findings, threshold)
    return explain(failures, threshold, new=bool(baseline)) if failures else None
