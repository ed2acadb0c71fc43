"""Stable identities for findings.

A fingerprint is a hash of the rule, the path, the normalised source text the
finding is about (``basis``) and an occurrence index among findings with the
same three - not the line number - so a finding keeps its identity when
unrelated edits move it (the idea of GitHub code scanning's partial
fingerprints). Renames are handled by the history comparison, which maps old
paths to new ones before matching.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from .model import Finding


def fingerprint(rule: str, path: str, basis: str, occurrence: int) -> str:
    text = "\0".join((rule, path, " ".join(basis.split()), str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def assign_fingerprints(findings: list[Finding]) -> None:
    """Fill in ``fingerprint`` for findings that have none."""
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if not finding.fingerprint:
            groups[(finding.rule, finding.path, " ".join(finding.basis.split()))].append(finding)
    for (rule, path, basis), members in groups.items():
        members.sort(key=lambda f: (f.line, f.end_line or f.line, f.message))
        for index, finding in enumerate(members):
            finding.fingerprint = fingerprint(rule, path, basis, index)
