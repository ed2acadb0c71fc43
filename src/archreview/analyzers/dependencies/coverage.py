"""Which manifests a lockfile covers, which projects have none, and which
``-r``/``-c`` includes go round in a circle."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ...model import Skipped
from .model import ParsedFile
from .sources import SOURCES
from .sources.interface import basename
from .sources.requirements import REQUIREMENT_FOLDERS, RequirementsSource

LOCK_FORMATS = {source.format for source in SOURCES if source.lock}


@dataclass
class LockCoverage:
    covering: dict[str, list[str]] = field(default_factory=dict)  # manifest -> lockfiles covering it
    locked_names: dict[str, set[str]] = field(default_factory=dict)  # manifest -> names those pin

    def covered(self, path: str) -> bool:
        return bool(self.covering.get(path))


def include_cycles(files: dict[str, ParsedFile]) -> list[Skipped]:
    """One coverage line per circle of -r/-c includes."""
    graph = {path: list(dict.fromkeys(p.includes + p.constraints)) for path, p in files.items()}
    seen_cycles: set[tuple[str, ...]] = set()
    out = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :]
                pivot = cycle.index(min(cycle))
                canonical = tuple(cycle[pivot:] + cycle[:pivot])
                if canonical not in seen_cycles:
                    seen_cycles.add(canonical)
                    chain = " → ".join([*canonical, canonical[0]])
                    out.append(Skipped(canonical[0], f"circular -r/-c includes ({chain}); each file was read once"))
            elif nxt in graph and state.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [])
    return out


def _closure(path: str, files: dict[str, ParsedFile]) -> list[str]:
    seen, todo = [], [path]
    while todo:
        current = todo.pop()
        parsed = files.get(current)
        if parsed is None:
            continue
        for nxt in parsed.includes + parsed.constraints:
            if nxt not in seen and nxt != path:
                seen.append(nxt)
                todo.append(nxt)
    return seen


def _is_ancestor(folder: str, of: str) -> bool:
    return folder == "" or of == folder or of.startswith(folder + "/")


def lock_coverage(files: dict[str, ParsedFile]) -> LockCoverage:
    result = LockCoverage()
    locks = [p for p in files.values() if p.format in LOCK_FORMATS and p.lock]
    pinned_requirements = [p for p in files.values() if p.format == RequirementsSource.format and p.lock]
    for path, parsed in files.items():
        if parsed.lock:
            continue
        folder = posixpath.dirname(path)
        covering: list[ParsedFile] = []
        if parsed.format == RequirementsSource.format:
            covering += [files[p] for p in _closure(path, files) if p in files and files[p].lock]
            if path.endswith(".in"):
                sibling = files.get(path[:-3] + ".txt")
                if sibling is not None and sibling.lock:
                    covering.append(sibling)
            # an input file next to the fully pinned file compiled from it
            # (base_requirements.txt -> requirements.txt): that file pins most of its names
            names = {e.name for e in parsed.entries if not e.direct}
            covering += [
                p
                for p in pinned_requirements
                if posixpath.dirname(p.path) == folder and len(names & {e.name for e in p.entries}) * 2 > len(names)
            ]
        elif parsed.format == "dockerfile":
            pass  # pip install in an image takes the newest release, whatever a lockfile pins
        elif parsed.format == "Pipfile":
            covering += [p for p in locks if p.format == "Pipfile.lock" and posixpath.dirname(p.path) == folder]
        else:
            covering += [
                p for p in locks if p.format != "Pipfile.lock" and _is_ancestor(posixpath.dirname(p.path), folder)
            ]
            covering += [p for p in pinned_requirements if posixpath.dirname(p.path) == folder]
        if covering:
            result.covering[path] = sorted({p.path for p in covering})
            result.locked_names[path] = {e.name for p in covering for e in p.entries}
    return result


def project_folder(path: str) -> str:
    folder = posixpath.dirname(path)
    if basename(folder).lower() in REQUIREMENT_FOLDERS:
        folder = posixpath.dirname(folder)
    return folder
