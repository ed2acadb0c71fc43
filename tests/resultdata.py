"""Stored results for renderer and scoring tests (``tests/data/results``).

    midsize.json   saleor at 723cd4eba87d, scanned with the default settings,
                   trimmed to 15 product packages (61k lines) and given the
                   sections of the other analyzers (dependencies, readiness,
                   vendors, secrets, architecture, activity, delta) by hand
    clean.json     markupsafe, scanned with bench.py excluded: no findings
    large.json.gz  saleor's core packages with tests scanned too: 247k lines,
                   3,216 findings (a sample of the assert findings kept)

See ``tests/data/results/README.md`` for how they were made.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

from archreview.model import Finding, ScanResult

RESULTS = Path(__file__).parent / "data" / "results"


def load_dict(name: str) -> dict:
    path = RESULTS / name
    if name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    return json.loads(path.read_text(encoding="utf-8"))


def load(name: str) -> ScanResult:
    return ScanResult.from_dict(load_dict(name))


def without_sections(result: ScanResult, *names: str) -> ScanResult:
    """The result as if the analyzers behind ``names`` had not run."""
    out = copy.deepcopy(result)
    areas = {"dependencies": "dependencies", "readiness": "readiness", "architecture": "architecture", "activity": "activity"}
    for name in names:
        out.sections.pop(name, None)
        out.analyzers.pop(name, None)
        area = areas.get(name, name)
        out.findings = [f for f in out.findings if f.area != area]
    return out


def earlier_month(result: ScanResult, month: str, drop: int = 0) -> ScanResult:
    """The month before ``result`` as the history store would hold it: the
    findings ``delta`` calls new are not there yet, the ones it calls fixed
    still are; ``drop`` more findings of the current month are left out too
    (so an even earlier month can be made from this one)."""
    out = copy.deepcopy(result)
    delta = out.sections.pop("delta", None) or {}
    new = {f["fingerprint"] for f in delta.get("new", [])}
    by_rule = {f.rule: f for f in result.findings}
    out.findings = [f for f in out.findings if f.fingerprint not in new]
    for item in delta.get("fixed", []):
        like = by_rule[item["rule"]]
        out.findings.append(
            Finding(
                rule=item["rule"],
                area=item["area"],
                severity=item["severity"],
                path=item["path"],
                line=item["line"],
                message=like.message,
                plain=like.plain,
                effort_minutes=like.effort_minutes,
                fingerprint=item["fingerprint"],
                basis=like.basis + " (earlier)",
            )
        )
    if drop:
        out.findings = out.findings[:-drop]
    out.sections.pop("scores", None)
    out.repository["revision_date"] = f"{month}-28T12:00:00+00:00"
    out.scanned_at = f"{month}-28T13:00:00+00:00"
    out.revision = "5b1c0e2d9a7f3c44e8b61d2a0f9e7c3b1a2d4e6f"
    return out


def with_history(name: str = "midsize.json") -> tuple[ScanResult, list[ScanResult]]:
    """A result and two earlier months (June and July), oldest first."""
    august = load(name)
    july = earlier_month(august, "2026-07")
    june = earlier_month(july, "2026-06", drop=20)
    return august, [june, july]
