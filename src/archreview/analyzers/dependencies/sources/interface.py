"""What every manifest and lockfile reader shares.

A source module reads one format. It gets the file's path and text (read from
git objects by the analyzer, never from a checkout) and returns a
:class:`~..model.ParsedFile`. It never imports, builds or runs anything from
the scanned repository: every format is read as data (TOML, JSON, INI or
requirement lines).
"""

from __future__ import annotations

import posixpath
import re
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from ..model import Declared, ParsedFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 in CI
    import tomli as tomllib

_PIN_OPERATORS = ("==", "===")


@dataclass(frozen=True)
class SourceContext:
    """What a reader may know beyond its own file."""

    max_lines: int
    paths: frozenset[str]  # every path of the snapshot


class DependencySource(ABC):
    """One manifest or lockfile format."""

    format: ClassVar[str]
    #: the file name of this format, when it has exactly one
    filename: ClassVar[str | None] = None
    #: a lockfile format: every file of it that can be read pins what it lists
    #: (a requirements file counts as one only when it pins everything)
    lock: ClassVar[bool] = False

    def matches(self, path: str) -> bool:
        """Whether a repository path is a file of this format (by its name)."""
        return basename(path) == self.filename

    @abstractmethod
    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        """Read one file. Problems go to ``ParsedFile.skipped``; never raise
        for bad input."""


class TomlSource(DependencySource):
    """A TOML format: the document is parsed here, read by ``read``."""

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=self.lock)
        try:
            data = load_toml(text)
        except BadFile as exc:
            return unreadable(parsed, str(exc))
        return self.read(parsed, data, text)

    @abstractmethod
    def read(self, parsed: ParsedFile, data: dict, text: str) -> ParsedFile:
        """Fill ``parsed`` from the TOML document."""


class BadFile(Exception):
    """The whole file cannot be read; the message says why (no file content)."""


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def folder(path: str) -> str:
    return posixpath.dirname(path)


def load_toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadFile(f"not valid TOML ({first_line(str(exc))})") from exc


def first_line(message: str, limit: int = 160) -> str:
    """The first line of an error message, shortened, with URLs redacted: the
    rest of a parser's message may quote the offending text."""
    line = (message.strip().splitlines() or [""])[0]
    line = redact_text(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


#: a requirement given as a URL or a VCS link (not from a package index)
DIRECT_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(git|hg|svn|bzr)\+")
#: the package name a direct link states (``#egg=name``)
EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
#: a requirement that is a built or source archive file
ARCHIVE_SUFFIXES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")

_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact_text(text: str) -> str:
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)


def redact_url(url: str) -> str:
    """A URL without credentials, query or fragment (they may hold tokens)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<url>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def url_host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def pinned_version(specifier: SpecifierSet) -> str | None:
    """The version a specifier set pins exactly, or None (``==1.2.*`` pins nothing)."""
    specs = list(specifier)
    if len(specs) != 1:
        exact = [s for s in specs if s.operator in _PIN_OPERATORS and "*" not in s.version]
        if len(exact) != 1:
            return None
        specs = exact
    spec = specs[0]
    if spec.operator in _PIN_OPERATORS and "*" not in spec.version:
        return spec.version
    return None


def declared_from_specifier(
    name: str,
    spec: str,
    specifier: SpecifierSet,
    source_file: str,
    *,
    line: int = 0,
    group: str = "main",
    marker: str | None = None,
    index_host: str | None = None,
) -> Declared:
    """A manifest's package-index dependency: ``spec`` as written ("" for any
    version) and ``specifier``, the same parsed."""
    return Declared(
        name=canonicalize_name(name),
        spec=spec,
        source_file=source_file,
        line=line,
        version=pinned_version(specifier),
        group=group,
        marker=marker,
        allowed=(spec,) if spec else (),
        index_host=index_host,
    )


def declared_from_requirement(text: str, source_file: str, *, line: int = 0, group: str = "main") -> Declared:
    """One PEP 508 string as a :class:`Declared`; raises BadFile with a short reason."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise BadFile(f"not a valid requirement ({first_line(str(exc))})") from exc
    marker = str(req.marker) if req.marker else None
    if req.url:
        spec = f"@ {redact_url(req.url)}"
        return Declared(canonicalize_name(req.name), spec, source_file, line, group=group, marker=marker, direct=True)
    return declared_from_specifier(
        req.name, str(req.specifier), req.specifier, source_file, line=line, group=group, marker=marker
    )


class LineFinder:
    """Line numbers for entries of a TOML or JSON file (the parsers give none):
    the first line at or after a position that contains a needle."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def find(self, *needles: str, start: int = 0) -> int:
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if any(n in line for n in needles):
                return number + 1
        return 0

    def quoted(self, value: str, start: int = 0) -> int:
        return self.find(f'"{value}"', f"'{value}'", start=start)

    def array_entries(self, header: str, key: str = "name") -> list[int]:
        """For each ``[[header]]`` table in order, the line of its ``key = ...``
        (lockfiles list their packages this way)."""
        found = []
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        inside = False
        for number, line in enumerate(self.lines):
            stripped = line.strip()
            if stripped == f"[[{header}]]":
                inside = True
            elif inside and pattern.match(line):
                found.append(number + 1)
                inside = False
        return found

    def key(self, name: str, start: int = 0) -> int:
        """Line of ``name = ...`` (TOML key, bare or quoted) at or after ``start``."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
        for number in range(start, len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return 0


def unreadable(parsed: ParsedFile, reason: str) -> ParsedFile:
    """The whole file could not be read: one coverage line, and it pins nothing."""
    from ....model import Skipped

    parsed.skipped.append(Skipped(parsed.path, reason))
    parsed.lock = False
    parsed.entries = []
    return parsed


def summarise_problems(path: str, problems: list[tuple[int, str]], what: str = "lines") -> str:
    """One coverage line for many bad lines of one file."""
    shown = "; ".join(f"line {n}: {why}" if n else why for n, why in problems[:3])
    more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    return f"{len(problems)} {what} could not be read ({shown}{more})"
