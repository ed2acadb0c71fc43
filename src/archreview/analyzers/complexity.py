"""Complexity and maintainability with radon, from the shared tree.

* cyclomatic complexity: radon's ``ComplexityVisitor`` on the parsed tree
  (walked faster, :mod:`.radonfast`);
  ``cc_max``/``cc_total`` over the blocks ``radon cc -j`` lists as functions and
  methods (closures and methods of nested classes are folded in by radon, as in
  its CLI);
* Halstead: radon's ``HalsteadVisitor`` on the same tree (``h_visit_ast``'s
  total, walked faster);
* raw counts: :mod:`.rawmetrics` (radon's definitions, one linear pass);
* maintainability index: radon's ``mi_compute`` with the inputs ``radon mi``
  uses (Halstead volume, total complexity, lloc, comment-and-docstring lines as
  a percentage of sloc).
"""

from __future__ import annotations

import time
from typing import Any

from .base import FileAnalyzer, SourceFile, finding_dict
from .rawmetrics import raw_counts

DEFAULT_FUNCTION_THRESHOLD = 10  # radon rank C starts at 11
DEFAULT_MI_THRESHOLD = 10.0  # radon rank C is below 10
MAX_FUNCTION_EFFORT = 8 * 60


def cc_rank(cc: int) -> str:
    for limit, rank in ((5, "A"), (10, "B"), (20, "C"), (30, "D"), (40, "E")):
        if cc <= limit:
            return rank
    return "F"


def function_severity(cc: int) -> str:
    if cc > 40:
        return "high"
    if cc > 20:
        return "medium"
    return "low"


class ComplexityAnalyzer(FileAnalyzer):
    name = "complexity"
    version = "1"

    def settings(self, config) -> dict[str, Any]:
        section = config.section(self.name)
        return {
            "function_threshold": int(section.get("function_threshold", DEFAULT_FUNCTION_THRESHOLD)),
            "mi_threshold": float(section.get("mi_threshold", DEFAULT_MI_THRESHOLD)),
            "findings_in_tests": bool(section.get("findings_in_tests", False)),
        }

    def analyze(self, file: SourceFile, settings: dict[str, Any]) -> dict[str, Any]:
        from radon.metrics import mi_compute

        from .radonfast import FastComplexityVisitor, halstead_total

        tree = file.tree
        started = time.process_time()
        visitor = FastComplexityVisitor.from_ast(tree)
        functions = []
        for block in visitor.functions:
            functions.append(_function(block, block.name))
        for cls in visitor.classes:
            for method in cls.methods:
                functions.append(_function(method, f"{cls.name}.{method.name}"))
        total_complexity = visitor.total_complexity
        file.add_time("complexity", time.process_time() - started)

        started = time.process_time()
        halstead = halstead_total(tree)
        file.add_time("halstead", time.process_time() - started)

        started = time.process_time()
        raw = raw_counts(file.text)
        file.add_time("raw", time.process_time() - started)

        comment_lines = raw.comments + raw.multi
        comments_pct = comment_lines / float(raw.sloc) * 100 if raw.sloc else 0
        mi = mi_compute(halstead.volume, total_complexity, raw.lloc, comments_pct)

        metrics = raw.as_dict()
        metrics.update(
            mi=round(mi, 4),
            cc_max=max((f["cc"] for f in functions), default=0),
            cc_total=sum(f["cc"] for f in functions),
            functions=len(functions),
            halstead_volume=round(halstead.volume, 3),
            halstead_difficulty=round(halstead.difficulty, 3),
            halstead_effort=round(halstead.effort, 3),
        )
        findings = []
        if file.role != "test" or settings["findings_in_tests"]:
            findings = self._findings(functions, metrics, settings)
        return {"metrics": metrics, "functions": functions, "findings": findings}

    def _findings(self, functions, metrics, settings) -> list[dict[str, Any]]:
        threshold = settings["function_threshold"]
        out = []
        for fn in functions:
            cc = fn["cc"]
            if cc <= threshold:
                continue
            effort = min(MAX_FUNCTION_EFFORT, 30 + 10 * (cc - threshold))
            out.append(
                finding_dict(
                    rule="complexity.function",
                    area="complexity",
                    severity=function_severity(cc),
                    line=fn["line"],
                    end_line=fn["end_line"],
                    message=f"{fn['name']} has cyclomatic complexity {cc} (rank {fn['rank']}; threshold {threshold})",
                    plain=(
                        f"The function {fn['name']} has {cc} different paths through it, "
                        "so changes to it are easy to get wrong and hard to test."
                    ),
                    effort_minutes=effort,
                    basis=fn["name"],
                    extra={"cc": cc, "rank": fn["rank"]},
                )
            )
        if metrics["mi"] < settings["mi_threshold"] and metrics["sloc"] >= 50:
            effort = min(2 * 8 * 60, 60 + metrics["sloc"] // 4)
            out.append(
                finding_dict(
                    rule="complexity.maintainability",
                    area="complexity",
                    severity="low",
                    line=1,
                    message=f"maintainability index {metrics['mi']:.1f} (radon rank C, below {settings['mi_threshold']:g})",
                    plain="This file is long and dense; new developers will need extra time to change it safely.",
                    effort_minutes=effort,
                    basis="file",
                    extra={"mi": metrics["mi"], "sloc": metrics["sloc"]},
                )
            )
        return out


def _function(block, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "line": block.lineno,
        "end_line": block.endline,
        "cc": block.complexity,
        "rank": cc_rank(block.complexity),
    }
