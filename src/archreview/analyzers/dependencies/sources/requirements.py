"""pip requirements files: ``requirements*.txt``, ``*.in`` (pip-tools),
constraints files and anything they include with ``-r``/``-c``.

Read line by line with ``packaging`` (pip's own parser works on files on
disk and follows includes there; ours come from git objects). Handled:
continuation lines, comments, ``--hash``, markers, extras, ``-e``, URL and VCS
lines, ``--index-url``/``--extra-index-url``, ``-r``/``-c`` (the analyzer
follows them, once per file, and reports cycles). A file where every entry is
pinned with ``==`` (what ``pip-compile`` writes) counts as a lockfile.
"""

from __future__ import annotations

import posixpath
import re
import shlex

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from ....model import Skipped
from ..model import Declared, ParsedFile
from .interface import (
    ARCHIVE_SUFFIXES,
    DIRECT_URL,
    EGG,
    BadFile,
    DependencySource,
    SourceContext,
    basename,
    declared_from_requirement,
    folder,
    redact_text,
    redact_url,
    summarise_problems,
    url_host,
)

_COMMENT = re.compile(r"(^|\s+)#.*$")
_TRAILING_OPTION = re.compile(r"\s-{1,2}[A-Za-z]")

_INCLUDE = {"-r": "include", "--requirement": "include", "-c": "constraint", "--constraint": "constraint"}
_EDITABLE = {"-e", "--editable"}
_INDEX = {"-i", "--index-url"}
_EXTRA_INDEX = {"--extra-index-url"}
_TAKES_VALUE = {
    "-f",
    "--find-links",
    "--trusted-host",
    "--only-binary",
    "--no-binary",
    "--use-feature",
    "--config-settings",
    "--global-option",
    "--hash",
}
_VALUE_OPTIONS = _TAKES_VALUE | set(_INCLUDE) | _EDITABLE | _INDEX | _EXTRA_INDEX
#: folders whose .txt/.in files are requirements files of the project one level up
REQUIREMENT_FOLDERS = frozenset({"requirements", "reqs", "requirements.d", "deps", "dependencies"})


#: a comment line that heads a block of a requirements file: a few words
_HEADING = re.compile(r"^\s*#+\s*([A-Za-z][A-Za-z &/_-]{0,40}?)\s*:?\s*#*\s*$")
_HEADING_GROUPS = (
    (re.compile(r"(?i)^(?:unit |integration |e2e )?(?:tests?|testing)(?: (?:dependencies|requirements|tools|only))?$"), "test"),
    (re.compile(r"(?i)^(?:dev|development|linting|linters?|lint|code quality|type checking|typing)(?: (?:dependencies|requirements|tools|only))?$"), "dev"),
    (re.compile(r"(?i)^(?:docs?|documentation)(?: (?:dependencies|requirements|tools|only))?$"), "docs"),
)


def _heading_group(text: str) -> str | None:
    """The group a heading names (``# Tests``, ``## Development tools``), or
    None for a heading about the product (``# Database``): its entries are
    the file's own group again."""
    for pattern, group in _HEADING_GROUPS:
        if pattern.match(text.strip()):
            return group
    return None


def requirement_group(path: str) -> str:
    name = path.lower()
    if "constraint" in basename(name):
        return "constraints"
    for word, group in (("doc", "docs"), ("test", "test"), ("dev", "dev"), ("lint", "dev"), ("ci", "dev")):
        if re.search(rf"(^|[/_.-]){word}", name):
            return group
    return "main"


class RequirementsSource(DependencySource):
    format = "requirements"

    def matches(self, path: str) -> bool:
        name = basename(path).lower()
        parent = basename(folder(path)).lower()
        if name == "manifest.in":
            return False
        if name.endswith((".txt", ".in")):
            stem = name.rsplit(".", 1)[0]
            if "requirements" in stem or stem.startswith("constraints") or stem.endswith("constraints"):
                return True
            return parent in REQUIREMENT_FOLDERS
        return False

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        return _Reader(path, context).read(text)


class _Reader:
    """One pass over one requirements file."""

    def __init__(self, path: str, context: SourceContext):
        self.path = path
        self.context = context
        self.group = requirement_group(path)
        self.parsed = ParsedFile(path=path, format=RequirementsSource.format)
        self.index_host: str | None = None
        self.local = 0

    def read(self, text: str) -> ParsedFile:
        path, parsed = self.path, self.parsed
        lines = text.lstrip("\ufeff").splitlines()
        if len(lines) > self.context.max_lines:
            parsed.skipped.append(
                Skipped(
                    path,
                    f"{len(lines):,} lines: only the first {self.context.max_lines:,} were read "
                    "(max_lines in [tool.archreview.dependencies])",
                )
            )
            lines = lines[: self.context.max_lines]
        problems: list[tuple[int, str]] = []
        seen: set[str] = set()
        repeated = 0
        for number, logical in _logical_lines(lines):
            heading = _HEADING.match(logical)
            if heading is not None:
                # "# Tests" over a block of the file: its entries are test tools
                self.group = _heading_group(heading.group(1)) or requirement_group(path)
                continue
            line = _COMMENT.sub("", logical).strip()
            if not line:
                continue
            try:
                entry = self.option(line, number) if line.startswith("-") else self.requirement(line, number)
            except BadFile as exc:
                problems.append((number, str(exc)))
                continue
            if entry is None:
                continue
            if entry.name in seen:
                repeated += 1
                continue
            seen.add(entry.name)
            parsed.entries.append(entry)
        if self.index_host:
            for entry in parsed.entries:
                if not entry.direct:
                    entry.index_host = self.index_host
        indexed = [e for e in parsed.entries if not e.direct]
        parsed.lock = bool(indexed) and all(e.pinned for e in indexed)
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems)))
        if repeated:
            parsed.notes.append(f"{path}: {repeated} repeated package entries were read once")
        if self.local:
            parsed.notes.append(
                f"{path}: {self.local} local-path requirement(s) (the project's own code) are not audited"
            )
        return parsed

    def requirement(self, line: str, number: int) -> Declared | None:
        match = _TRAILING_OPTION.search(line)
        text = line[: match.start()].strip() if match else line
        if DIRECT_URL.match(text):
            return self.direct(text, number)
        try:
            return declared_from_requirement(text, self.path, line=number, group=self.group)
        except BadFile:
            if _looks_like_path(text):
                return self.direct(text, number)
            if "${" in text:
                raise BadFile("uses an environment variable that is only known at install time") from None
            raise

    def option(self, line: str, number: int) -> Declared | None:
        try:
            tokens = shlex.split(line)
        except ValueError as exc:
            raise BadFile(f"unreadable option line ({exc})") from exc
        position = 0
        while position < len(tokens):
            option, value = _split_option(tokens[position])
            position += 1
            if option in _VALUE_OPTIONS and value is None:
                if position >= len(tokens):
                    raise BadFile(f"option {option} has no value")
                value = tokens[position]
                position += 1
            if option in _INCLUDE:
                target = self.include(value, option)
                if target:
                    (self.parsed.includes if _INCLUDE[option] == "include" else self.parsed.constraints).append(target)
            elif option in _EDITABLE:
                if DIRECT_URL.match(value):
                    return self.direct(value, number)
                self.local += 1  # -e . or -e ./lib: the project's own code
                return None
            elif option in _INDEX and url_host(value):
                self.index_host = url_host(value)
            elif option in _EXTRA_INDEX and url_host(value):
                self.parsed.notes.append(
                    f"{self.path}: also installs from the package index at {url_host(value)} "
                    "(--extra-index-url); a package there may differ from the public one of the same name"
                )
        return None

    def include(self, value: str, option: str) -> str | None:
        path, skipped = self.path, self.parsed.skipped
        if DIRECT_URL.match(value):
            skipped.append(Skipped(path, f"{option} {redact_url(value)}: a remote file is not fetched"))
            return None
        if value.startswith(("/", "~")):
            skipped.append(Skipped(path, f"{option} {value}: an absolute path outside the repository is not read"))
            return None
        target = posixpath.normpath(posixpath.join(folder(path), value))
        if target == ".." or target.startswith("../"):
            skipped.append(Skipped(path, f"{option} {value}: points outside the repository"))
            return None
        if target not in self.context.paths:
            skipped.append(Skipped(path, f"{option} {value}: no such file in this revision"))
            return None
        return target

    def direct(self, text: str, number: int) -> Declared | None:
        """A URL, VCS or path requirement: listed, but not from a package index."""
        location = text.split(";", 1)[0].strip()
        file_part = location.split("#", 1)[0].split("?", 1)[0]  # without "#sha256=..." or a query
        if not DIRECT_URL.match(location) and not file_part.lower().endswith(ARCHIVE_SUFFIXES):
            self.local += 1  # a local folder: the project's own code
            return None
        version = None
        if file_part.lower().endswith(".whl"):
            try:
                version = str(parse_wheel_filename(file_part.rsplit("/", 1)[-1])[1])
            except InvalidWheelFilename:
                pass
        return Declared(
            name=_name_of_direct(location),
            spec=redact_url(location) if DIRECT_URL.match(location) else redact_text(location),
            source_file=self.path,
            line=number,
            version=version,
            group=self.group,
            direct=True,
        )


def _split_option(token: str) -> tuple[str, str | None]:
    if token.startswith("--") and "=" in token:
        option, value = token.split("=", 1)
        return option, value
    if len(token) > 2 and token[0] == "-" and token[1] != "-":
        return token[:2], token[2:]
    return token, None


def _logical_lines(lines: list[str]):
    """(first line number, text) with backslash continuations joined."""
    buffer: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if not buffer:
            start = number
        if line.endswith("\\") and not _COMMENT.match(line):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        yield start, " ".join(buffer)
        buffer = []
    if buffer:
        yield start, " ".join(buffer)


def _looks_like_path(text: str) -> bool:
    head = text.split(";", 1)[0].strip()
    return head.startswith((".", "/", "~")) or head.lower().endswith(ARCHIVE_SUFFIXES) or ("/" in head and "@" not in head)


def _name_of_direct(location: str) -> str:
    egg = EGG.search(location)
    if egg:
        return canonicalize_name(egg.group(1))
    tail = location.split("#")[0].split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    if tail.lower().endswith(".whl"):
        try:
            return str(parse_wheel_filename(tail)[0])
        except InvalidWheelFilename:
            pass
    for suffix in ARCHIVE_SUFFIXES:
        if tail.lower().endswith(suffix):
            tail = tail[: -len(suffix)]
            tail = re.sub(r"-\d.*$", "", tail)
            break
    tail = re.sub(r"\.git$|@.*$", "", tail)
    return canonicalize_name(tail) if tail else "(unnamed)"
