"""Packages a container image installs with pip in its ``RUN`` lines
(``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile``, ``Containerfile``).

They run in production as much as the project's declared dependencies, and a
bare ``pip install gunicorn`` takes whatever release is newest on the day the
image is built: each one is read as a requirement of the file, audited and
checked for a pin like any other. What the lines install from files
(``-r requirements.txt``, ``.``, a wheel copied in) is left to those files;
names built from build arguments (``$VERSION``) cannot be read and are
counted in a note. pip's own tooling (pip, setuptools, wheel, and the
installers uv, poetry, pipenv and pip-tools) is left out: upgrading it
unpinned before installing a lockfile is usual practice, not a risk to the
product.

Read as text with ``shlex`` and ``packaging``: nothing is built or run.
"""

from __future__ import annotations

import re
import shlex

from packaging.utils import canonicalize_name

from ..model import Declared, ParsedFile
from .interface import ARCHIVE_SUFFIXES, DIRECT_URL, EGG, BadFile, DependencySource, SourceContext
from .interface import basename, declared_from_requirement, redact_url

_INSTRUCTION = re.compile(r"^\s*RUN\s+(.*)$", re.IGNORECASE | re.DOTALL)
_SEPARATORS = re.compile(r"&&|\|\||[;|&]")
#: pip install options that take a value (the value is not a package)
_TAKES_VALUE = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "--trusted-host", "-t", "--target", "--prefix", "--root", "--platform",
    "--python-version", "--implementation", "--abi", "--only-binary", "--no-binary", "--progress-bar",
    "--cache-dir", "--src", "--upgrade-strategy", "--global-option", "--config-settings", "-C", "--log",
    "--timeout", "--retries", "--python", "-p", "--index-strategy", "--report", "--root-user-action",
    "-w", "--wheel-dir", "-d", "--dest",
    # uv pip's own
    "--requirements", "--constraints", "--overrides", "--override", "--build-constraints", "-b", "--index",
    "--default-index", "--extra-index", "--python-preference", "--keyring-provider", "--resolution", "--prerelease",
    "--exclude-newer", "--link-mode", "--compile-bytecode-level", "--refresh-package", "--reinstall-package",
    "--no-binary-package", "--only-binary-package", "--no-build-isolation-package", "--target-python",
}
#: a requirements, constraints or project file named without its option
_FILES = (".txt", ".in", ".toml", ".cfg", ".py", ".lock")
_TEXT_SUFFIXES = (".md", ".rst", ".txt", ".adoc")
#: what may come before ``pip`` on a command: ``python -m``, ``uv``, ``sudo``,
#: ``env`` and variable assignments
#: and ``RUN``'s own flags (``--mount=type=cache,...``)
_PREFIX = re.compile(r"(?:.*/)?(?:python(?:\d+(?:\.\d+)?)?|-m|uv|sudo|env|[A-Za-z_][A-Za-z0-9_]*=.*)|--[a-z-]+=.*")
#: pip commands that fetch the packages they name: ``pip wheel`` builds the
#: wheels a later ``pip install /wheels/*`` puts in the image
_COMMANDS = frozenset({"install", "wheel", "download"})
_TOOLING = frozenset({"pip", "setuptools", "wheel", "uv", "poetry", "pipenv", "pip-tools"})


def is_dockerfile(path: str) -> bool:
    """``Dockerfile``, ``Dockerfile.prod``, ``api.dockerfile``, ``Containerfile``
    (not ``Dockerfile.md``)."""
    name = basename(path)
    lower = name.lower()
    return (
        name in ("Dockerfile", "Containerfile")
        or (name.startswith(("Dockerfile.", "Containerfile.")) and not lower.endswith(_TEXT_SUFFIXES))
        or lower.endswith((".dockerfile", ".containerfile"))
    )


class DockerfileSource(DependencySource):
    format = "dockerfile"

    def matches(self, path: str) -> bool:
        return is_dockerfile(path)

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format)
        group = _group(path)
        seen: set[str] = set()
        variables = 0
        lines = text.lstrip("\ufeff").splitlines()[: context.max_lines]
        for start, instruction in _instructions(lines):
            match = _INSTRUCTION.match(instruction)
            if match is None:
                continue
            for arguments in _pip_installs(match.group(1)):
                for token in arguments:
                    if "$" in token:
                        variables += 1
                        continue
                    entry = _entry(token, path, _line_of(token, lines, start), group)
                    if entry is None or entry.name in seen or entry.name in _TOOLING:
                        continue
                    seen.add(entry.name)
                    parsed.entries.append(entry)
        if variables:
            parsed.notes.append(
                f"{path}: {variables} package(s) installed with pip are named by build arguments ($...) "
                "and could not be read"
            )
        return parsed


def _instructions(lines: list[str]):
    """(first line number, instruction) with backslash continuations joined
    and comment lines inside them left out, as Docker reads them."""
    buffer: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#") or (buffer and not stripped):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1])
            continue
        buffer.append(stripped)
        yield start, " ".join(buffer)
        buffer = []
    if buffer:
        yield start, " ".join(buffer)


def _line_of(token: str, lines: list[str], start: int) -> int:
    """The line of a continued instruction that names ``token`` (from ``start``)."""
    for number in range(start, len(lines) + 1):
        if token in lines[number - 1]:
            return number
    return start


def _pip_installs(command: str):
    """The arguments after ``install`` (``wheel``, ``download``) of every pip
    install in a shell command (``pip``, ``pip3``, ``python -m pip``,
    ``uv pip``; any path)."""
    for segment in _SEPARATORS.split(command):
        try:
            tokens = shlex.split(segment)
        except ValueError:
            continue
        for position, token in enumerate(tokens[:-1]):
            if tokens[position + 1] not in _COMMANDS:
                continue
            program = token.rsplit("/", 1)[-1]
            if re.fullmatch(r"pip(3(\.\d+)?)?", program) and all(_PREFIX.fullmatch(t) for t in tokens[:position]):
                yield _packages(tokens[position + 2 :])
                break


def _group(path: str) -> str:
    """An image for development, tests, CI or docs, by the words of its path."""
    words = set(re.split(r"[/_.-]", path.lower()))
    if words & {"test", "tests", "testing"}:
        return "test"
    if words & {"dev", "development", "devcontainer", "ci", "lint"}:
        return "dev"
    if words & {"doc", "docs"}:
        return "docs"
    return "main"


def _packages(arguments: list[str]) -> list[str]:
    out = []
    position = 0
    while position < len(arguments):
        token = arguments[position]
        position += 1
        if token.startswith("-"):
            if token in _TAKES_VALUE:
                position += 1  # its value is the next argument
            # a flag, --option=value or -rvalue
            continue
        out.append(token)
    return out


def _entry(token: str, path: str, number: int, group: str) -> Declared | None:
    location = token.split(";", 1)[0].strip()
    file_part = location.split("#", 1)[0].split("?", 1)[0]
    if DIRECT_URL.match(location):
        name = EGG.search(location)
        if name is None:
            return None
        return Declared(
            canonicalize_name(name.group(1)), redact_url(location), path, number, group=group, direct=True
        )
    if file_part in (".", "..") or "/" in file_part or file_part.lower().endswith((*ARCHIVE_SUFFIXES, *_FILES)):
        return None  # the project's own code or a file copied into the image
    try:
        return declared_from_requirement(location, path, line=number, group=group)
    except BadFile:
        return None
