"""Reading a repository's history for the activity measures.

Two git commands, never one per commit:

* a listing of every commit reachable from the scanned revision
  (``git log --format`` without diffs: id, parents, author after ``.mailmap``,
  committer time) - cheap, run on every scan, so a changed ``.mailmap`` applies
  at once;
* ``git log -p -U0`` over the commits not yet in the cache, in a few chunks
  that run side by side (``--no-walk=unsorted --stdin``, so each chunk reads
  only its own commits). Each file's lines added and deleted are counted from
  the patch (git computes a patch without context faster than it counts with
  ``--numstat``; where git's default three lines of context make it place a
  change differently, ``--numstat`` can differ by a line or two), and the
  added lines are handed to a ``scanner`` when one is given - the secrets
  check of old versions reads the same pass instead of every old version of
  every Python file.
  What the pass finds is stored per commit id in the cache's ``kv`` table:
  next month only the new commits are read; the changes of all the commits of
  a scanned revision are also kept as one document, which a scan of a
  descendant reads at once.

Lines are counted in Python files only (the code archreview reviews), with
``-M`` so a renamed or moved file keeps its history; ``--no-textconv
--no-ext-diff --no-show-signature`` keep the repository's configuration from
running programs, and the patch format is pinned (prefixes, no context, root
commits shown) whatever the repository's configuration says. A commit whose
diff needs a blob missing from the repository makes git stop; that commit is
read again on its own with ``diff-tree`` (the files whose contents are
missing count as changed, with unknown line counts) and the chunk goes on
after it.
"""

from __future__ import annotations

import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from ... import kept
from ...gitrepo import GitRepo, first_line, parse_raw_diff
from ...selection import PYTHON_SUFFIXES

#: cache namespace; bump the number when the parsed form or the git options change
NAMESPACE = "activity.numstat.2"
#: the changes of every commit of a revision, as one document per revision
BUNDLE_NAMESPACE = "activity.numstat-bundle.2"
PATHSPEC = tuple(f"*{suffix}" for suffix in PYTHON_SUFFIXES)
CHUNK = 1500
#: ScanOptions.extra key under which a caller scanning several revisions in a
#: row (backfill) passes one :class:`Memo` for all of them
MEMO_OPTION = "activity_memo"
UNKNOWN = -1  # line count of a file whose contents are missing

_DIFF_OPTIONS = ("-M", "--no-textconv", "--no-ext-diff", "--no-color")
#: the patch as parse_patch reads it, whatever the repository's configuration
_PATCH_OPTIONS = ("-p", "-U0", "--root", "--inter-hunk-context=0", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative")
_HEADER = "\x01"
_QUOTED_LAST = re.compile(rb'"((?:[^"\\]|\\.)*)"$')
_QUOTED_FIRST = re.compile(rb'^"(?:[^"\\]|\\.)*" (.*)$')


class Scanner(Protocol):
    """Reads the lines a commit added to one file (``scan``: the path and the
    patch's hunks); what it returns is kept per commit, in the cache under
    ``namespace`` (which names everything its answers depend on)."""

    namespace: str

    def relevant(self, patch: bytes) -> bool:
        """False when nothing in one commit's whole patch can give an
        answer (then its files are not handed to ``scan``)."""
        ...

    def scan(self, path: str, hunks: bytes) -> list[Any]: ...


@dataclass(frozen=True)
class Commit:
    id: str
    parents: tuple[str, ...]
    author: str  # name after .mailmap
    email: str
    time: int  # committer time, seconds since the epoch

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass
class LogStats:
    """What reading the history cost and found, for tests and benchmarks."""

    parsed: int = 0  # commits read with git log --numstat this time
    from_cache: int = 0
    missing_blob_commits: int = 0  # commits with a change whose contents are missing (for the benchmark)
    chunks: int = 0


@dataclass
class Memo:
    """Kept by a caller that scans several revisions of one repository in a
    row, newest first (backfill): the newest listing and the changes read so
    far, so an older revision costs neither git nor the cache."""

    git_dir: str = ""
    commits: list[Commit] = field(default_factory=list)
    by_id: dict[str, Commit] = field(default_factory=dict)
    changes: dict[str, list[list]] = field(default_factory=dict)
    found: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # scanner namespace -> commit id -> found


def list_commits(repo: GitRepo, revision: str, memo: Memo | None = None) -> list[Commit]:
    """Every commit reachable from ``revision``, newest first, children
    before parents (``--date-order``)."""
    if memo is not None and memo.git_dir == str(repo.git_dir) and revision in memo.by_id:
        reachable: set[str] = set()
        stack = [revision]
        while stack:
            commit_id = stack.pop()
            if commit_id in reachable or commit_id not in memo.by_id:
                continue
            reachable.add(commit_id)
            stack.extend(memo.by_id[commit_id].parents)
        return [c for c in memo.commits if c.id in reachable]
    commits = _list(repo, revision)
    if memo is not None:
        memo.git_dir = str(repo.git_dir)
        memo.commits = commits
        memo.by_id = {c.id: c for c in commits}
    return commits


def _list(repo: GitRepo, revision: str) -> list[Commit]:
    proc = repo.run(
        "log",
        "--date-order",
        "--use-mailmap",
        "--no-show-signature",
        "--encoding=UTF-8",
        "--format=%H%x1f%P%x1f%aN%x1f%aE%x1f%ct",
        "-z",
        revision,
        "--",
    )
    if proc.returncode != 0:
        raise RuntimeError(first_line(proc.stderr))
    commits = []
    for record in proc.stdout.decode("utf-8", "replace").split("\0"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) != 5:
            continue
        commit_id, parents, name, email, ctime = parts
        try:
            stamp = int(ctime)
        except ValueError:
            continue
        commits.append(Commit(commit_id, tuple(parents.split()), name.strip(), email.strip().lower(), stamp))
    return commits


def file_changes(repo: GitRepo, commits: list[Commit], cache, **options) -> dict[str, list[list]]:
    """Per commit id, the Python files it changed (:func:`read` without a scanner)."""
    return read(repo, commits, cache, **options).changes


@dataclass
class Read:
    """What the pass gives per commit id: ``changes``, the Python files each
    changed, as ``[path, added, deleted]`` or ``[path, added, deleted,
    old_path]`` for a rename; ``found``, what the scanner returned for its
    added lines (only with a scanner)."""

    changes: dict[str, list[list]]
    found: dict[str, list[Any]] = field(default_factory=dict)


def read(
    repo: GitRepo,
    commits: list[Commit],
    cache,
    jobs: int = 2,
    stats: LogStats | None = None,
    memo: Memo | None = None,
    revision: str | None = None,
    stop: threading.Event | None = None,
    scanner: Scanner | None = None,
) -> Read:
    """The changes of ``commits`` and, with a ``scanner``, what it found in
    their added lines: from the memo, the cache, or one pass of git over the
    commits missing either. Merge commits have none (their changes are
    counted in the commits they merge).

    ``revision``: the commit ``commits`` were listed from. With a cache, the
    answers for all its commits are also kept as one document for it
    (:mod:`archreview.kept`), so a scan of a descendant reads one document
    and the few newer commits instead of one entry per commit.

    ``stop``: set when the scan is abandoned; the git command running is
    killed and ``errors.Stopped`` raised."""
    stats = stats if stats is not None else LogStats()
    wanted = [c.id for c in commits if not c.is_merge]
    if memo is not None and memo.git_dir != str(repo.git_dir):
        memo = None
    kinds = [_Kind(NAMESPACE, BUNDLE_NAMESPACE, memo.changes if memo is not None else None)]
    if scanner is not None:
        remembered = memo.found.setdefault(scanner.namespace, {}) if memo is not None else None
        kinds.append(_Kind(scanner.namespace, f"{scanner.namespace}.bundle", remembered))
    for kind in kinds:
        kind.lookup(repo, cache, revision, wanted)
    stats.from_cache = kinds[0].from_cache
    todo = [cid for cid in wanted if any(cid not in kind.known for kind in kinds)]
    if todo:
        count = max(1, min(max(jobs, 1) * 4, math.ceil(len(todo) / CHUNK)))
        if len(todo) >= 2 * CHUNK:
            count = max(count, jobs)
        size = math.ceil(len(todo) / count)
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        stats.chunks = len(chunks)
        parts: list[tuple[dict, dict]] = []
        if len(chunks) == 1 or jobs <= 1:
            parts = [_read_chunk(repo, chunk, stop, scanner) for chunk in chunks]
        else:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                parts = list(pool.map(lambda chunk: _read_chunk(repo, chunk, stop, scanner), chunks))
        fresh_changes = {cid: entries for part in parts for cid, entries in part[0].items() if cid not in kinds[0].known}
        stats.parsed = len(fresh_changes)
        kinds[0].add(cache, fresh_changes)
        if scanner is not None:
            kinds[1].add(cache, {cid: found for part in parts for cid, found in part[1].items() if cid not in kinds[1].known})
    for kind in kinds:
        kind.keep(cache, revision, wanted, backfill=memo is not None)
    changes = kinds[0].known
    stats.missing_blob_commits = sum(1 for cid in wanted if any(entry[1] == UNKNOWN for entry in changes.get(cid, ())))
    return Read(changes, kinds[1].known if scanner is not None else {})


@dataclass
class _Kind:
    """One kind of answer per commit (the changes, or a scanner's findings):
    where it is kept, and what is known of it."""

    namespace: str
    bundle_namespace: str
    remembered: dict[str, Any] | None  # the backfill memo's
    known: dict[str, Any] = field(default_factory=dict)
    bundled: Any = None
    from_cache: int = 0
    newer: int = 0  # commits the kept document lacked

    def lookup(self, repo: GitRepo, cache, revision: str | None, wanted: list[str]) -> None:
        if self.remembered is not None:
            self.known = {cid: self.remembered[cid] for cid in wanted if cid in self.remembered}
        unknown = [cid for cid in wanted if cid not in self.known]
        if cache is not None and unknown and revision:
            self.bundled, bundle = kept.load(repo, revision, cache, self.bundle_namespace)
            if isinstance(bundle, dict):
                found = {cid: bundle[cid] for cid in unknown if cid in bundle}
                self.from_cache += len(found)
                self.known.update(found)
                unknown = [cid for cid in unknown if cid not in found]
            else:
                self.bundled = None
        self.newer = len(unknown)
        if cache is not None and unknown:
            cached = cache.get_kv_many(self.namespace, unknown)
            self.from_cache += len(cached)
            self.known.update(cached)

    def add(self, cache, fresh: dict[str, Any]) -> None:
        if cache is not None and fresh:
            cache.put_kv_many(self.namespace, fresh)
        self.known.update(fresh)

    def keep(self, cache, revision: str | None, wanted: list[str], backfill: bool) -> None:
        if self.remembered is not None:
            self.remembered.update(self.known)
        # backfill (memo) keeps its months in memory
        if cache is not None and revision and not backfill and kept.worth_keeping(self.bundled, self.newer):
            kept.store(cache, self.bundle_namespace, revision, {cid: self.known[cid] for cid in wanted if cid in self.known})


def _read_chunk(repo: GitRepo, chunk: list[str], stop: threading.Event | None = None, scanner: Scanner | None = None) -> tuple[dict, dict]:
    """``git log -p`` over one chunk of commits: each one's changes and what
    ``scanner`` found in them. A commit that makes git stop is read on its
    own and the chunk goes on after it."""
    changes: dict[str, list[list]] = {}
    found: dict[str, list[Any]] = {}
    pending = chunk
    while pending:
        streamed = repo.stream(
            "log",
            "--no-walk=unsorted",
            "--stdin",
            *_PATCH_OPTIONS,
            *_DIFF_OPTIONS,
            "--no-show-signature",
            f"--format={_HEADER}%H",
            "--",
            *PATHSPEC,
            input=("\n".join(pending) + "\n").encode("ascii"),
            stop=stop,
        )
        order, parsed, scanned = parse_patch_stream(streamed, scanner)
        if streamed.returncode == 0:
            changes.update(parsed)
            found.update(scanned)
            for cid in pending:  # left out by the pathspec: no Python file changed
                changes.setdefault(cid, [])
                if scanner is not None:
                    found.setdefault(cid, [])
            return changes, found
        if not _object_missing(streamed.stderr):
            raise RuntimeError(f"git log -p failed: {first_line(streamed.stderr)}")
        # git stopped inside the last commit it began to print (or before the first)
        culprit = order[-1] if order else pending[0]
        position = pending.index(culprit) if culprit in pending else 0
        for cid in pending[:position]:
            changes[cid] = parsed.get(cid, [])
            if scanner is not None:
                found[cid] = scanned.get(cid, [])
        changes[culprit], culprit_found = _read_one(repo, culprit, stop, scanner)
        if scanner is not None:
            found[culprit] = culprit_found
        pending = pending[position + 1 :]
    return changes, found


def parse_patch_stream(blocks, scanner: Scanner | None = None) -> tuple[list[str], dict[str, list[list]], dict[str, list[Any]]]:
    """Parse ``git log -p -U0 --format=<\x01>%H`` output (``_PATCH_OPTIONS``)
    that arrives in blocks: the commit ids in the order printed, each one's
    file entries (lines added and deleted) and what ``scanner`` found in each
    file's added lines. Each commit is parsed once all of it is in, so no
    more than one commit's patch (and a block) is held at a time."""
    order: list[str] = []
    parsed: dict[str, list[list]] = {}
    scanned: dict[str, list[Any]] = {}
    buffer = bytearray()
    for block in blocks:
        searched_from = max(len(buffer) - 1, 0)
        buffer += block
        cut = buffer.rfind(b"\n\x01", searched_from)
        if cut >= 0:
            _parse_commits(bytes(buffer[: cut + 1]), scanner, order, parsed, scanned)
            del buffer[: cut + 1]
    if buffer:
        _parse_commits(bytes(buffer), scanner, order, parsed, scanned)
    return order, parsed, scanned


def parse_patch(data: bytes, scanner: Scanner | None = None) -> tuple[list[str], dict[str, list[list]], dict[str, list[Any]]]:
    """:func:`parse_patch_stream` over output read whole."""
    return parse_patch_stream((data,), scanner)


def _parse_commits(data: bytes, scanner: Scanner | None, order: list[str], parsed: dict, scanned: dict) -> None:
    """Add the whole commits in ``data`` (each starting with its header) to
    ``order``, ``parsed`` and ``scanned``."""
    for block in (b"\n" + data).split(b"\n\x01")[1:]:
        # a line of a file's patch starts with "+", "-", " " or "\\": only a
        # file's own header starts with "diff --git "
        head, *sections = block.split(b"\ndiff --git ")
        commit_id = head.split(b"\n", 1)[0].strip().decode("ascii", "replace")
        order.append(commit_id)
        entries = parsed.setdefault(commit_id, [])
        found = scanned.setdefault(commit_id, []) if scanner is not None else None
        if found is not None and not scanner.relevant(block):
            found = None
        for section in sections:
            entry, at = _file_entry(section)
            if entry is None:
                continue
            entries.append(entry)
            if found is not None and entry[1] > 0:
                found.extend(scanner.scan(entry[0], section[at:]))


def _file_entry(section: bytes) -> tuple[list | None, int]:
    """One file's ``[path, added, deleted(, old_path)]`` from its section of
    the patch (after ``diff --git ``, up to the next one), and where its
    hunks start in it (-1: none)."""
    at = section.find(b"\n@@ ")
    header = section if at < 0 else section[:at]
    old = new = None
    if b"\nrename " in header:
        for line in header.split(b"\n")[1:]:
            if line.startswith(b"rename from "):
                old = _unquote(line[len(b"rename from ") :])
            elif line.startswith(b"rename to "):
                new = _unquote(line[len(b"rename to ") :])
    end = header.find(b"\n")
    path = new if new is not None else _git_line_path(header if end < 0 else header[:end])
    if path is None:
        return None, -1
    # every added (deleted) line starts a line with "+" ("-") after the first hunk header
    added, deleted = (section.count(b"\n+", at), section.count(b"\n-", at)) if at >= 0 else (0, 0)
    name = path.decode("utf-8", "surrogateescape")
    if old is not None and old != path:
        return [name, added, deleted, old.decode("utf-8", "surrogateescape")], at
    return [name, added, deleted], at


def _git_line_path(text: bytes) -> bytes | None:
    """The new path from the rest of a ``diff --git a/P b/P`` line (a file
    that was not renamed: both halves name it)."""
    text = text.rstrip(b"\r")
    if text.endswith(b'"'):  # git quotes a path with unusual bytes; a quote inside is escaped
        quoted = _QUOTED_LAST.search(text)
        if quoted is None:
            return None
        path = _unquote(b'"' + quoted.group(1) + b'"')
    elif text.startswith(b'"'):
        first = _QUOTED_FIRST.match(text)
        if first is None:
            return None
        path = first.group(1)
    elif len(text) % 2 == 1 and text[len(text) // 2 : len(text) // 2 + 1] == b" ":
        path = text[len(text) // 2 + 1 :]
    else:
        return None
    return path[2:] if path.startswith(b"b/") else None


def _unquote(text: bytes) -> bytes:
    """A path as git prints it: as is, or in double quotes with C escapes
    (octal for bytes outside ASCII, ``core.quotePath``)."""
    from git.diff import decode_path  # GitPython's reading of git's quoting

    return decode_path(text, has_ab_prefix=False) or text


def _read_one(repo: GitRepo, commit_id: str, stop: threading.Event | None = None, scanner: Scanner | None = None) -> tuple[list[list], list[Any]]:
    """One commit's Python changes when its diff cannot be read whole: list
    the changed files from the trees (renames found by blob id where
    possible), read the patch of the files whose contents exist, and mark the
    others unknown."""
    entries = None
    for renames in ("-M", "--no-renames"):
        proc = repo.run(
            "diff-tree", "-r", "-z", "--root", "--no-commit-id", "--raw", "--no-abbrev", renames,
            commit_id, "--", *PATHSPEC, stop=stop,
        )
        if proc.returncode == 0:
            entries = _entries(proc.stdout.decode("utf-8", "surrogateescape"))
            break
    if entries is None:
        return [], []
    oids = [oid for _path, _old_path, old, new in entries for oid in (old, new) if oid]
    sizes = repo.object_sizes(oids)

    def readable(old: str | None, new: str | None) -> bool:
        return all(sizes.get(o) is not None for o in (old, new) if o)

    changes: list[list] = []
    found: list[Any] = []
    counted = [(path, old_path) for path, old_path, old, new in entries if readable(old, new)]
    for path, old_path, old, new in entries:
        if not readable(old, new):
            changes.append([path, UNKNOWN, UNKNOWN, old_path] if old_path else [path, UNKNOWN, UNKNOWN])
    if counted:
        pathspec = [f":(literal){p}" for path, old_path in counted for p in (path, old_path) if p]
        proc = repo.run(
            "diff-tree", "-r", "--no-commit-id", *_PATCH_OPTIONS, *_DIFF_OPTIONS,
            commit_id, "--", *pathspec, stop=stop,
        )
        if proc.returncode == 0:
            header = f"{_HEADER}{commit_id}\n".encode("ascii")
            _order, parsed, scanned = parse_patch(header + proc.stdout, scanner)
            changes.extend(parsed.get(commit_id, []))
            found.extend(scanned.get(commit_id, []))
        else:
            changes.extend([path, UNKNOWN, UNKNOWN, old_path] if old_path else [path, UNKNOWN, UNKNOWN] for path, old_path in counted)
    return changes, found


def _entries(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """``diff-tree --raw -z`` records: (path, old path of a rename - not of a
    copy - or None, old blob, new blob; None for the side that does not exist)."""
    return [
        (c.new_path or c.old_path, c.old_path if c.status == "R" else None, c.old_oid, c.new_oid)
        for c in parse_raw_diff(text)
    ]


def _object_missing(stderr: bytes) -> bool:
    text = stderr.decode("utf-8", "replace").lower()
    return "unable to read" in text or "could not read" in text or "missing" in text
