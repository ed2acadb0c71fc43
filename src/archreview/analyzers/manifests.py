"""A light reading of dependency manifests: which packages a file names and
how many of them are pinned to one exact version. Enough for the vendor
inventory and the lockfile check when no dependencies analyzer ran; never
installs or runs anything."""

from __future__ import annotations

import ast
import json
import re
import sys
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from ..rules import normalise_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_GIT_COMMIT = re.compile(r"@[0-9a-f]{40}\b")
_EXACT = re.compile(r"^(===?)\s*[\w.!+-]+$")


def manifest_format(path: str) -> str | None:
    name = path.lower().rsplit("/", 1)[-1]
    folder = path.lower().rsplit("/", 2)[-2] if "/" in path else ""
    if name == "pyproject.toml":
        return "pyproject"
    if name == "pipfile":
        return "pipfile"
    if name == "setup.cfg":
        return "setup.cfg"
    if name == "setup.py":
        return "setup.py"
    if name == "package.json":
        return "npm"
    if name.endswith((".txt", ".in")) and (name.startswith("requirements") or folder == "requirements"):
        return "requirements"
    return None


def _pinned(req: Requirement) -> bool:
    if req.url:
        return bool(_GIT_COMMIT.search(req.url)) or req.url.endswith((".whl", ".tar.gz", ".zip"))
    specs = list(req.specifier)
    return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


def _add(out: dict[str, Any], text: str) -> None:
    text = text.strip()
    if not text:
        return
    if re.match(r"^((git|hg|svn|bzr)\+|https?://|file:)", text):
        name = re.search(r"#egg=([\w.-]+)", text)
        out["total"] += 1
        if _GIT_COMMIT.search(text):
            out["pinned"] += 1
        if name:
            out["deps"].append(normalise_name(name.group(1)))
        return
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return
    out["total"] += 1
    out["pinned"] += int(_pinned(req))
    out["deps"].append(normalise_name(req.name))


def _requirements(text: str, out: dict[str, Any]) -> None:
    joined = re.sub(r"\\\r?\n", " ", text)
    for raw in joined.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            if "--hash" in line and out["total"]:
                out["hashes"] = True
            continue
        if "--hash" in line:
            out["hashes"] = True
        line = re.split(r"\s+--?\w", line, maxsplit=1)[0]
        _add(out, line.split(";")[0] if ";" in line and "://" not in line else line)


def _pyproject(text: str, out: dict[str, Any]) -> None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    project = data.get("project") or {}
    for item in project.get("dependencies") or []:
        if isinstance(item, str):
            _add(out, item)
    for group in (project.get("optional-dependencies") or {}).values():
        for item in group or []:
            if isinstance(item, str):
                out["deps"].append(normalise_name(re.split(r"[\s\[<>=!~;@(]", item.strip(), maxsplit=1)[0]))
    for group in (data.get("dependency-groups") or {}).values():
        for item in group or []:
            if isinstance(item, str):
                out["deps"].append(normalise_name(re.split(r"[\s\[<>=!~;@(]", item.strip(), maxsplit=1)[0]))
    poetry = (data.get("tool") or {}).get("poetry") or {}
    tables = [poetry.get("dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values() if isinstance(g, dict)]
    tables.append(poetry.get("dev-dependencies") or {})
    for index, table in enumerate(tables):
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            out["deps"].append(normalise_name(name))
            if index == 0:
                out["total"] += 1
                version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
                out["pinned"] += int(bool(_EXACT.match(version.strip())) or bool(re.match(r"^\d[\w.]*$", version.strip())))


def _pipfile(text: str, out: dict[str, Any]) -> None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    for section in ("packages", "dev-packages"):
        for name, spec in (data.get(section) or {}).items():
            out["deps"].append(normalise_name(name))
            if section == "packages":
                out["total"] += 1
                version = spec.get("version", "*") if isinstance(spec, dict) else str(spec)
                out["pinned"] += int(bool(_EXACT.match(version.strip())))


def _setup_cfg(text: str, out: dict[str, Any]) -> None:
    block = re.search(r"^install_requires\s*=\s*\n((?:[ \t]+.*\n?)+)", text, re.MULTILINE)
    if block:
        for line in block.group(1).splitlines():
            _add(out, line.split("#")[0])


def _setup_py(text: str, out: dict[str, Any]) -> None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "requires"):
            if isinstance(node.value, (ast.List, ast.Tuple)):
                for item in node.value.elts:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        _add(out, item.value)


def _npm(text: str, out: dict[str, Any]) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        table = data.get(section)
        if isinstance(table, dict):
            out["deps"].extend(str(name).lower() for name in table)


def read_manifest(path: str, text: str) -> dict[str, Any] | None:
    fmt = manifest_format(path)
    if fmt is None:
        return None
    out: dict[str, Any] = {"format": fmt, "deps": [], "total": 0, "pinned": 0}
    {
        "requirements": _requirements,
        "pyproject": _pyproject,
        "pipfile": _pipfile,
        "setup.cfg": _setup_cfg,
        "setup.py": _setup_py,
        "npm": _npm,
    }[fmt](text, out)
    out["deps"] = sorted(set(out["deps"]))
    return out
