"""YAML as the readiness rules see it: documents parsed with PyYAML's safe
loader (libyaml when available), every mapping remembering the line of each
of its keys, and a summary of GitHub Actions workflows (triggers,
permissions, steps) for the repository practices.

Files that are not plain YAML (Helm templates with ``{{ }}``) fail to parse;
the caller then falls back to looking at ``key:`` lines of the text.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

from .lines import LineFinder

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

MAX_YAML_BYTES = 512 * 1024
RUN_LIMIT = 4000


class LineMap(dict):
    """A YAML mapping that knows the line (1-based) of each key."""

    lines: dict[Any, int]
    line: int


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    mapping = LineMap()
    mapping.lines = {}
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        mapping[key] = loader.construct_object(value_node, deep=deep)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# timestamps and other exotic scalars stay strings: we never need them typed
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_documents(text: str) -> list[Any] | None:
    """All documents of a YAML text, or None when it does not parse."""
    if len(text) > MAX_YAML_BYTES:
        return None
    try:
        return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]  # noqa: S506 - safe loader subclass
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None


def iter_mappings(value: Any, depth: int = 0) -> Iterator[LineMap]:
    if depth > 60:
        return
    if isinstance(value, dict):
        if isinstance(value, LineMap):
            yield value
        for item in value.values():
            yield from iter_mappings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from iter_mappings(item, depth + 1)


def document_kinds(documents: list[Any]) -> set[str]:
    return {str(d.get("kind")) for d in documents if isinstance(d, dict) and d.get("kind")}


_KEY_LINE = re.compile(r"^\s*-?\s*([A-Za-z_][\w.-]*)\s*:", re.MULTILINE)


def key_lines_fallback(text: str) -> dict[str, int]:
    """For YAML that does not parse (templates): ``key:`` lines of the text."""
    found: dict[str, int] = {}
    finder = LineFinder(text)
    for match in _KEY_LINE.finditer(text):
        key = match.group(1)
        if key not in found:
            found[key] = finder.line(match.start())
    return found


# ----------------------------------------------------------------------
# GitHub Actions workflows

def _triggers(doc: dict) -> tuple[list[str], int]:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    line = doc.lines.get("on", doc.lines.get(True, 0)) if isinstance(doc, LineMap) else 0
    if isinstance(on, str):
        return [on], line
    if isinstance(on, list):
        return [str(t) for t in on], line
    if isinstance(on, dict):
        return [str(t) for t in on], line
    return [], line


def _permissions(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # read-all | write-all
    if isinstance(value, dict):
        if not value:
            return "none"
        writes = sorted(str(k) for k, v in value.items() if str(v) == "write")
        return "write:" + ",".join(writes) if writes else "read"
    return "set"


def workflow_summary(doc: Any) -> dict[str, Any] | None:
    """Triggers, permissions and steps of a GitHub Actions workflow."""
    if not isinstance(doc, LineMap) or not isinstance(doc.get("jobs"), dict):
        return None
    triggers, on_line = _triggers(doc)
    if not triggers and "on" not in doc and True not in doc:
        return None
    jobs = []
    for job_id, job in doc["jobs"].items():
        if not isinstance(job, dict):
            continue
        steps = []
        if isinstance(job.get("uses"), str):  # reusable workflow call
            steps.append({"line": doc["jobs"].lines.get(job_id, 0), "uses": job["uses"]})
        for step in job.get("steps") or []:
            if not isinstance(step, LineMap):
                continue
            entry: dict[str, Any] = {"line": step.line}
            if isinstance(step.get("uses"), str):
                entry["uses"] = step["uses"]
                entry["line"] = step.lines.get("uses", step.line)
            if isinstance(step.get("run"), str):
                entry["run"] = step["run"][:RUN_LIMIT]
                entry["line"] = step.lines.get("run", step.line)
            with_ = step.get("with")
            if isinstance(with_, dict) and with_.get("ref") is not None:
                entry["ref"] = str(with_.get("ref"))
            if step.get("continue-on-error") is True:
                entry["continue_on_error"] = True
            steps.append(entry)
        entry_job = {
            "id": str(job_id),
            "line": doc["jobs"].lines.get(job_id, 0),
            "permissions": _permissions(job.get("permissions")) if "permissions" in job else "",
            "steps": steps,
        }
        if isinstance(job.get("if"), (str, bool)):
            entry_job["if"] = str(job["if"])[:RUN_LIMIT]
        jobs.append(entry_job)
    return {
        "name": str(doc.get("name") or ""),
        "on": triggers,
        "on_line": on_line,
        "permissions": _permissions(doc.get("permissions")) if "permissions" in doc else "",
        "permissions_line": doc.lines.get("permissions", 0),
        "jobs": jobs,
    }
