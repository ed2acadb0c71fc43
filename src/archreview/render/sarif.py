"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning.

* one run, tool ``archreview`` with one rule per rule id (short and full
  description, help text, default level, tags, and ``security-severity`` for
  security, secrets and dependency rules, which GitHub uses to rank alerts);
* one result per finding with a file: level from our severity, the message,
  ``partialFingerprints`` from our fingerprint (stable across unrelated edits,
  so GitHub keeps an alert's identity), a region when the line is known;
* findings about the whole repository (no file) are left out and counted in
  a note: code scanning can only show results on a file;
* GitHub's upload limits: at most :data:`MAX_RESULTS` results (the most severe
  are kept, with a note saying how many were left out) and at most
  :data:`MAX_GZIP_BYTES` gzipped (results are cut further, severity first,
  until the file fits).

Only rule, path, line, message and plain sentence leave the result: never
``basis`` or ``extra``, so no source text (and no secret) is copied.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from ..model import SEVERITY_RANK, Finding
from ..scoring import ScoringSettings, effort_minutes
from ..wording import rule_description
from .safety import finding_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1000 * 1000
SIZE_MARGIN = 0.95
FINGERPRINT_KEY = "archreview/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
SECURITY_AREAS = ("security", "secrets", "dependencies")
MAX_MESSAGE = 1000


def _text(finding: Finding, value: str) -> str:
    return finding_text(finding, " ".join(str(value).split())[:MAX_MESSAGE])


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _rule(rule_id: str, members: list[Finding], effort: dict[str, int]) -> dict[str, Any]:
    worst = max(members, key=lambda f: SEVERITY_RANK[f.severity])
    plain = _text(worst, rule_description(rule_id, worst.plain)) or rule_id
    technical = _text(worst, worst.message)
    area = worst.area
    help_text = (
        f"{plain}\n\nExample: {technical}\n\n"
        f"Area: {area}. Severity up to {worst.severity}. "
        f"Estimated effort: about {effort_minutes(worst, effort)} minutes per finding. "
        "Found by archreview; see the report's appendix for how findings are scored."
    )
    help_markdown = (
        f"**Why it matters:** {plain}\n\n**Example:** {technical}\n\n"
        f"Area: `{area}` · severity up to **{worst.severity}** · "
        f"effort about {effort_minutes(worst, effort)} minutes per finding."
    )
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id.replace(".", "/"),
        "shortDescription": {"text": plain.split(". ")[0].split(", so ")[0].rstrip(".")[:200] or rule_id},
        "fullDescription": {"text": plain},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[worst.severity]},
        "properties": {"tags": sorted({area, "archreview"}), "precision": "medium"},
    }
    if area in SECURITY_AREAS:
        rule["properties"]["tags"] = sorted({area, "archreview", "security"})
        rule["properties"]["security-severity"] = SECURITY_SEVERITY[worst.severity]
    return rule


def _result(finding: Finding, rule_index: int, effort: dict[str, int]) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"}}
    if finding.line and finding.line > 0:
        region: dict[str, Any] = {"startLine": finding.line}
        if finding.end_line and finding.end_line >= finding.line:
            region["endLine"] = finding.end_line
        location["region"] = region
    message = _text(finding, finding.message) or finding.rule
    plain = _text(finding, finding.plain)
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _sentence(message) + (f" {plain}" if plain and plain not in message else "")},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"severity": finding.severity, "area": finding.area, "effort_minutes": effort_minutes(finding, effort)},
    }


def build(result, limit: int = MAX_RESULTS, settings: ScoringSettings | None = None) -> tuple[dict[str, Any], int]:
    """The SARIF document for ``limit`` results at most; returns it and the
    number of file findings left out."""
    effort = (settings or ScoringSettings()).effort
    located = [f for f in result.findings if f.path]
    whole_repo = len(result.findings) - len(located)
    ordered = sorted(located, key=lambda f: (-SEVERITY_RANK[f.severity], f.path, f.line, f.rule))
    kept = ordered[:limit]
    left_out = len(ordered) - len(kept)
    groups: dict[str, list[Finding]] = {}
    for f in kept:
        groups.setdefault(f.rule, []).append(f)
    rule_ids = sorted(groups)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    notes = []
    if left_out:
        notes.append(
            f"Showing the {len(kept):,} most severe of {len(ordered):,} results (GitHub code scanning accepts "
            f"{MAX_RESULTS:,} per upload and 10 MB compressed); {left_out:,} lower-severity results are in the report and the JSON result."
        )
    if whole_repo:
        notes.append(
            f"{whole_repo:,} findings about the repository as a whole (no file) are in the report, not here."
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "archreview",
                "version": result.tool_version or "0",
                "semanticVersion": result.tool_version or "0.0.0",
                "rules": [_rule(rule_id, groups[rule_id], effort) for rule_id in rule_ids],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the scanned repository."}}},
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "note", "message": {"text": n}} for n in notes],
            }
        ],
        "results": [_result(f, index[f.rule], effort) for f in kept],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "archreview": {
                "results_total": len(ordered),
                "results_left_out": left_out,
                "repository_findings_left_out": whole_repo,
                "revision": result.revision,
            }
        },
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return document, left_out


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def render(result, context) -> str:
    settings = ScoringSettings.from_config(getattr(context, "config", None))
    limit = min(MAX_RESULTS, sum(1 for f in result.findings if f.path))
    while True:
        document, _ = build(result, limit, settings)
        text = _dump(document)
        if limit == 0 or len(gzip.compress(text.encode("utf-8"))) <= MAX_GZIP_BYTES * SIZE_MARGIN:
            return text
        limit = limit * 3 // 4
