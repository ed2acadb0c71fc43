"""``--format markdown``: the report, from ``report_templates/report.md.j2``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import SEVERITIES
from .diagrams import architecture_paragraph, package_diagram
from .templating import environment

ARCHITECTURE_LOOPS_SHOWN = 5


def architecture_view(result) -> dict[str, Any] | None:
    section = result.sections.get("architecture")
    if not section:
        return None
    loops = [c for c in section.get("cycles", []) if c.get("kind") == "import"]
    loops.sort(key=lambda c: (c.get("level") != "package", -c.get("size", 0)))
    return {
        "paragraph": architecture_paragraph(section),
        "diagram": package_diagram(section),
        "loops": loops[:ARCHITECTURE_LOOPS_SHOWN],
        "more_loops": max(0, len(loops) - ARCHITECTURE_LOOPS_SHOWN),
        "hotspots": section.get("metrics", {}).get("hotspots", [])[:5],
    }


def view(result, context) -> dict[str, Any]:
    source_files = [f for f in result.files if f.role == "source"]
    test_files = [f for f in result.files if f.role == "test"]
    sloc = sum(f.sloc for f in source_files)
    weighted_mi = (
        sum(f.mi * f.sloc for f in source_files) / sloc if sloc else None
    )
    security = [f for f in result.findings if f.area == "security"]
    secrets = [f for f in result.findings if f.area == "secrets"]
    by_severity = Counter(f.severity for f in result.findings)
    return {
        "result": result,
        "repo": result.repository.get("name") or "repository",
        "revision": (result.revision or "")[:12],
        "source_files": len(source_files),
        "test_files": len(test_files),
        "sloc": sloc,
        "test_sloc": sum(f.sloc for f in test_files),
        "weighted_mi": weighted_mi,
        "functions": result.functions[:10],
        "security": security,
        "secrets": secrets,
        "secrets_in_history": sum(1 for f in secrets if f.extra.get("history")),
        "secrets_history": result.sections.get("secrets_history") or {},
        "severity_counts": [(s, by_severity.get(s, 0)) for s in SEVERITIES],
        "architecture": architecture_view(result),
        "low_mi_files": sorted((f for f in source_files if f.sloc >= 50), key=lambda f: f.mi)[:5],
    }


def render(result, context) -> str:
    template = environment().get_template("report.md.j2")
    return template.render(**view(result, context))
