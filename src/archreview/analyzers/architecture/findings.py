"""Findings of the architecture view: cycles and layer violations.

Severities (one finding per cycle, i.e. per strongly connected component):

=====================================  ========  ==========================================
what                                    severity  why
=====================================  ========  ==========================================
packages in an import-time loop, 2-3    medium    whole parts of the product can no longer
                                                  be changed, tested or replaced alone
packages in an import-time loop, 4+     high      a tangle: most changes ripple through it
packages tied only through imports      low       deliberate (a function-level import breaks
inside functions                                  the loop at import time), still coupling
modules in an import-time loop          low       an engineer's concern: import-order bugs,
                                                  files that only change together
modules tied only through imports       info      usually a deliberate cycle breaker
inside functions
an import against the layer rules       medium    the intended structure is being eroded
=====================================  ========  ==========================================

A cycle finding points at the import statement of the first link of its
shown cycle, and its ``basis`` is the level, kind and sorted member list. Its
fingerprint is computed from rule and basis only (not the path: the shown
link may move to another file as import counts change), so it keeps its
identity while the same parts stay tangled. A layer violation points at the offending import;
its basis is "importer -> imported".
"""

from __future__ import annotations

from typing import Any

from ...fingerprints import fingerprint
from ...model import Finding
from ...wording import join_words
from .resolve import ImportEdge
from .structure import Cycle

AREA = "architecture"
EFFORT_PACKAGE_LINK = 4 * 60
EFFORT_MODULE_LINK = 45
EFFORT_LAYER = 60
MAX_EFFORT = 5 * 8 * 60
#: an informational loop (modules tied only through imports inside functions)
#: asks for a look, not for days of untangling
MAX_INFO_EFFORT = 2 * 60


def cycle_severity(cycle: Cycle) -> str:
    if cycle.level == "package":
        if cycle.kind == "deferred":
            return "low"
        return "high" if len(cycle.members) >= 4 else "medium"
    return "low" if cycle.kind == "import" else "info"


def cycle_plain(cycle: Cycle) -> str:
    names = cycle.members
    if cycle.kind == "deferred" and cycle.joined and len(cycle.joined) < len(names):
        many = len(cycle.joined) > 1
        if cycle.level == "package":
            subject = f"The part{'s' if many else ''} {join_words(cycle.joined)}"
        else:
            subject = f"{len(cycle.joined)} more file{'s' if many else ''}"
        what = "parts" if cycle.level == "package" else "files"
        return (
            f"{subject} {'are' if many else 'is'} tied into a loop of {len(names)} {what} through imports "
            "inside functions; this works, but a change on either side can still break the other."
        )
    if cycle.level == "package":
        if cycle.kind == "deferred":
            return (
                f"The parts {join_words(names)} still depend on each other: an import inside a function "
                "hides the loop, but a change to one can still break the others."
            )
        if len(names) == 2:
            return (
                f"The parts {names[0]} and {names[1]} depend on each other, so a change to one can break "
                "the other and neither can be changed or tested alone."
            )
        return (
            f"The parts {join_words(names)} depend on each other in a loop, so a change to any of them "
            "can break the others and none can be changed or tested alone."
        )
    if cycle.kind == "deferred":
        return (
            f"{len(names)} files depend on each other through imports inside functions; this works, "
            "but it ties them together."
        )
    return f"{len(names)} files import each other in a loop, so they can only be changed and tested together."


def cycle_finding(cycle: Cycle) -> Finding:
    first = cycle.steps[0]
    links = len(cycle.cycle) - 1
    if cycle.level == "package":
        effort = EFFORT_PACKAGE_LINK * max(1, len(cycle.members) - 1)
    else:
        effort = EFFORT_MODULE_LINK * max(1, len(cycle.members) - 1)
    if cycle.kind == "deferred":
        effort //= 2
    what = "packages" if cycle.level == "package" else "modules"
    when = "at import time" if cycle.kind == "import" else "through function-level imports"
    joined = f" ({len(cycle.joined)} not in an import-time loop: {', '.join(cycle.joined[:5])})" if cycle.joined and len(cycle.joined) < len(cycle.members) else ""
    message = (
        f"{len(cycle.members)} {what} depend on each other {when}{joined}; shortest loop ({links} links): "
        f"{' -> '.join(cycle.cycle)}; first link {first.source} -> {first.target} at {first.path}:{first.line}"
    )
    basis = f"{cycle.level} {cycle.kind}: " + " ".join(cycle.members)
    return Finding(
        rule="architecture.cycle",
        area=AREA,
        severity=cycle.severity,
        path=first.path,
        line=first.line,
        message=message,
        plain=cycle_plain(cycle),
        effort_minutes=min(MAX_INFO_EFFORT if cycle.severity == "info" else MAX_EFFORT, effort),
        basis=basis,
        fingerprint=fingerprint("architecture.cycle", "", basis, 0),
        extra={
            "level": cycle.level,
            "kind": cycle.kind,
            "members": cycle.members[:50],
            "size": len(cycle.members),
            "cycle": cycle.cycle,
            "steps": [f"{s.path}:{s.line}" for s in cycle.steps],
        },
    )


# ---------------------------------------------------------------- layers
def layer_index(layers: list[list[str]]):
    """module -> index of its layer (0 = top), by the longest matching prefix."""
    prefixes = sorted(
        ((prefix, i) for i, group in enumerate(layers) for prefix in group),
        key=lambda item: -len(item[0]),
    )

    def index(module: str) -> int | None:
        for prefix, i in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                return i
        return None

    return index


def layer_violations(imports: list[ImportEdge], layers: list[list[str]]) -> list[Finding]:
    """An import from a lower layer (later in the list) into a higher one."""
    if not layers:
        return []
    index = layer_index(layers)
    findings = []
    for imp in sorted(imports, key=lambda i: (i.path, i.line, i.target)):
        low, high = index(imp.source), index(imp.target)
        if low is None or high is None or high >= low:
            continue
        lower, upper = " / ".join(layers[low]), " / ".join(layers[high])
        how = {"function": " (inside a function)", "type_checking": " (for type checking)"}.get(imp.kind, "")
        findings.append(
            Finding(
                rule="architecture.layer-violation",
                area=AREA,
                severity="medium",
                path=imp.path,
                line=imp.line,
                message=(
                    f"{imp.source} (layer {low + 1}: {lower}) imports {imp.target} (layer {high + 1}: {upper}){how}; "
                    "a layer may only import the layers below it"
                ),
                plain=(
                    f"The lower layer {lower} should not depend on the layer {upper} above it, but this import "
                    "does, so the two can no longer be changed on their own."
                ),
                effort_minutes=EFFORT_LAYER,
                basis=f"{imp.source} -> {imp.target}",
                extra={"source": imp.source, "target": imp.target, "source_layer": low, "target_layer": high},
            )
        )
    return findings


def summary_counts(cycles: list[Cycle], violations: list[Finding]) -> dict[str, Any]:
    return {
        "package": sum(1 for c in cycles if c.level == "package" and c.kind == "import"),
        "module": sum(1 for c in cycles if c.level == "module" and c.kind == "import"),
        "deferred": sum(1 for c in cycles if c.kind == "deferred"),
        "layer_violations": len(violations),
    }
