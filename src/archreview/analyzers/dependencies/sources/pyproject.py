"""``pyproject.toml``: PEP 621 ``[project]`` dependencies and optional
dependencies, PEP 735 ``[dependency-groups]``, Poetry's
``[tool.poetry.*dependencies]`` and groups, and the dev lists of uv and PDM.

``[build-system].requires`` is what builds the package, not what it runs
with, so it is not listed. Dependencies a build backend computes
(``dynamic = ["dependencies"]``) are not known without running the backend,
which archreview never does: that is said in the coverage.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from ....model import Skipped
from ..model import Declared, ParsedFile
from . import poetry_constraints
from .interface import (
    BadFile,
    LineFinder,
    TomlSource,
    declared_from_requirement,
    redact_url,
    summarise_problems,
    url_host,
)


class PyprojectSource(TomlSource):
    format = "pyproject"
    filename = "pyproject.toml"

    def read(self, parsed: ParsedFile, data: dict, text: str) -> ParsedFile:
        path = parsed.path
        parsed.packaged = isinstance(data.get("build-system"), dict)
        reader = _Reader(path, LineFinder(text))
        project = data.get("project")
        if isinstance(project, dict):
            reader.pep508_list(project.get("dependencies"), "main", "project.dependencies")
            optional = project.get("optional-dependencies")
            if isinstance(optional, dict):
                for extra, items in optional.items():
                    reader.pep508_list(items, canonicalize_name(extra), f"project.optional-dependencies.{extra}")
            dynamic = project.get("dynamic") or []
            if isinstance(dynamic, list) and {"dependencies", "optional-dependencies"} & set(dynamic):
                parsed.notes.append(
                    f"{path}: dependencies are computed by the build backend (dynamic) and were not read; "
                    "archreview never runs the project's build"
                )
        groups = data.get("dependency-groups")
        if isinstance(groups, dict):
            for group, items in groups.items():
                reader.pep508_list(items, canonicalize_name(group), f"dependency-groups.{group}")
        tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
        poetry = tool.get("poetry")
        if isinstance(poetry, dict):
            reader.poetry(poetry, parsed)
        uv = tool.get("uv")
        if isinstance(uv, dict):
            reader.pep508_list(uv.get("dev-dependencies"), "dev", "tool.uv.dev-dependencies")
        pdm = tool.get("pdm")
        if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
            for group, items in pdm["dev-dependencies"].items():
                reader.pep508_list(items, canonicalize_name(group), f"tool.pdm.dev-dependencies.{group}")
        parsed.entries = reader.entries
        if reader.problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, reader.problems, "entries")))
        if reader.local:
            parsed.notes.append(
                f"{path}: {reader.local} local-path dependencies (the project's own code) are not audited"
            )
        return parsed


class _Reader:
    def __init__(self, path: str, lines: LineFinder):
        self.path = path
        self.lines = lines
        self.entries: list[Declared] = []
        self.problems: list[tuple[int, str]] = []
        self.local = 0

    def pep508_list(self, items: Any, group: str, where: str) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self.problems.append((0, f"{where} is not a list"))
            return
        for item in items:
            if isinstance(item, dict):  # {include-group = "..."} in dependency groups
                continue
            if not isinstance(item, str):
                self.problems.append((0, f"{where} holds a {type(item).__name__}, not a string"))
                continue
            line = self.lines.quoted(item)
            try:
                self.entries.append(declared_from_requirement(item, self.path, line=line, group=group))
            except BadFile as exc:
                self.problems.append((line, str(exc)))

    # -- Poetry ----------------------------------------------------------
    def poetry(self, poetry: dict, parsed: ParsedFile) -> None:
        sources = {}
        for source in poetry.get("source") or []:
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                host = url_host(source["url"])
                sources[source.get("name")] = host
                if source.get("default") or source.get("priority") in ("default", "primary"):
                    parsed.notes.append(f"{self.path}: installs from the package index at {host}")
        tables = [("tool.poetry.dependencies", poetry.get("dependencies"), "main")]
        tables.append(("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"), "dev"))
        for group, body in (poetry.get("group") or {}).items():
            if isinstance(body, dict):
                tables.append(
                    (f"tool.poetry.group.{group}.dependencies", body.get("dependencies"), canonicalize_name(group))
                )
        for header, table, group in tables:
            if not isinstance(table, dict):
                continue
            start = self.lines.find(f"[{header}]")
            for name, value in table.items():
                if canonicalize_name(name) == "python":
                    continue
                line = self.lines.key(name, start)
                entry = self.poetry_entry(name, value, group, line, sources)
                if entry is not None:
                    self.entries.append(entry)

    def poetry_entry(self, name: str, value: Any, group: str, line: int, sources: dict) -> Declared | None:
        options = value if isinstance(value, list) else [value]
        constraints: list[str] = []
        marker = None
        index_host = None
        for option in options:
            if isinstance(option, str):
                constraints.append(option)
                continue
            if not isinstance(option, dict):
                self.problems.append((line, f"{name}: unreadable constraint"))
                return None
            for key in ("git", "url"):
                if key in option:
                    return Declared(
                        name=canonicalize_name(name),
                        spec=redact_url(str(option[key])),
                        source_file=self.path,
                        line=line,
                        group=group,
                        direct=True,
                    )
            if "path" in option or "file" in option:
                self.local += 1
                return None
            constraints.append(str(option.get("version", "*")))
            marker = option.get("markers") or marker
            if option.get("source") in sources:
                index_host = sources[option["source"]]
        allowed: list[str] = []
        conversions = [poetry_constraints.to_pep440(c) for c in constraints]
        for constraint, converted in zip(constraints, conversions):
            if converted is None:
                self.problems.append((line, f"{name}: constraint {constraint!r} is not a Poetry version constraint"))
                return None
            if converted == ():
                allowed = []
                break
            allowed.extend(converted)
        pins = {poetry_constraints.pinned(c) for c in conversions}
        version = pins.pop() if len(pins) == 1 else None
        return Declared(
            name=canonicalize_name(name),
            spec=" || ".join(constraints) if len(constraints) > 1 else constraints[0],
            source_file=self.path,
            line=line,
            version=version,
            group=group,
            marker=marker if isinstance(marker, str) else None,
            allowed=tuple(allowed),
            index_host=index_host,
        )
