"""Reading a repository's history for the activity measures.

Two git commands, never one per commit:

* a listing of every commit reachable from the scanned revision
  (``git log --format`` without diffs: id, parents, author after ``.mailmap``,
  committer time) - cheap, run on every scan, so a changed ``.mailmap`` applies
  at once;
* ``git log --numstat`` over the commits not yet in the cache, in a few chunks
  that run side by side (``--no-walk=unsorted --stdin``, so each chunk reads
  only its own commits). Its output is parsed per commit and stored per commit
  id in the cache's ``kv`` table: next month only the new commits are read;
  the changes of all the commits of a scanned revision are also kept as one
  document, which a scan of a descendant reads at once.

Lines are counted in Python files only (the code archreview reviews), with
``-M`` so a renamed or moved file keeps its history; ``--no-textconv
--no-ext-diff --no-show-signature`` keep the repository's configuration from
running programs. A commit whose diff needs a blob missing from the
repository makes git stop; that commit is read again on its own with
``diff-tree`` (the files whose contents are missing count as changed, with
unknown line counts) and the chunk goes on after it.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ... import kept
from ...gitrepo import GitRepo, first_line, parse_raw_diff
from ...selection import PYTHON_SUFFIXES

#: cache namespace; bump the number when the parsed form or the git options change
NAMESPACE = "activity.numstat.2"
#: the changes of every commit of a revision, as one document per revision
BUNDLE_NAMESPACE = "activity.numstat-bundle.2"
PATHSPEC = tuple(f"*{suffix}" for suffix in PYTHON_SUFFIXES)
CHUNK = 1500
UNKNOWN = -1  # line count of a file whose contents are missing

_DIFF_OPTIONS = ("-M", "--no-textconv", "--no-ext-diff", "--no-color")
_HEADER = "\x01"


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


def file_changes(
    repo: GitRepo,
    commits: list[Commit],
    cache,
    jobs: int = 2,
    stats: LogStats | None = None,
    memo: Memo | None = None,
    revision: str | None = None,
    stop: threading.Event | None = None,
) -> dict[str, list[list]]:
    """Per commit id, the Python files it changed: ``[path, added, deleted]``
    or ``[path, added, deleted, old_path]`` for a rename. Merge commits have
    none (their changes are counted in the commits they merge).

    ``revision``: the commit ``commits`` were listed from. With a cache, the
    changes of all its commits are also kept as one document for it
    (:mod:`archreview.kept`), so a scan of a descendant reads one document
    and the few newer commits instead of one entry per commit.

    ``stop``: set when the scan is abandoned; the git command running is
    killed and ``errors.Stopped`` raised."""
    stats = stats if stats is not None else LogStats()
    wanted = [c.id for c in commits if not c.is_merge]
    changes: dict[str, list[list]] = {}
    if memo is not None and memo.git_dir == str(repo.git_dir):
        changes = {cid: memo.changes[cid] for cid in wanted if cid in memo.changes}
    else:
        memo = None
    unknown = [cid for cid in wanted if cid not in changes]
    bundled = None
    if cache is not None and unknown and revision:
        bundled, bundle = kept.load(repo, revision, cache, BUNDLE_NAMESPACE)
        if isinstance(bundle, dict):
            found = {cid: bundle[cid] for cid in unknown if cid in bundle}
            stats.from_cache += len(found)
            changes.update(found)
            unknown = [cid for cid in unknown if cid not in found]
        else:
            bundled = None
    newer = len(unknown)
    if cache is not None and unknown:
        cached = cache.get_kv_many(NAMESPACE, unknown)
        stats.from_cache += len(cached)
        changes.update(cached)
    todo = [cid for cid in wanted if cid not in changes]
    if todo:
        count = max(1, min(max(jobs, 1) * 4, math.ceil(len(todo) / CHUNK)))
        if len(todo) >= 2 * CHUNK:
            count = max(count, jobs)
        size = math.ceil(len(todo) / count)
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        stats.chunks = len(chunks)
        fresh: dict[str, list[list]] = {}
        if len(chunks) == 1 or jobs <= 1:
            for chunk in chunks:
                fresh.update(_read_chunk(repo, chunk, stop))
        else:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                for part in pool.map(lambda chunk: _read_chunk(repo, chunk, stop), chunks):
                    fresh.update(part)
        stats.parsed = len(fresh)
        if cache is not None:
            cache.put_kv_many(NAMESPACE, fresh)
        changes.update(fresh)
    if memo is not None:
        memo.changes.update(changes)
    # backfill (memo) keeps its months in memory
    if cache is not None and revision and memo is None and kept.worth_keeping(bundled, newer):
        kept.store(cache, BUNDLE_NAMESPACE, revision, {cid: changes[cid] for cid in wanted if cid in changes})
    stats.missing_blob_commits = sum(
        1 for cid in wanted if any(entry[1] == UNKNOWN for entry in changes.get(cid, ()))
    )
    return changes


def _read_chunk(repo: GitRepo, chunk: list[str], stop: threading.Event | None = None) -> dict[str, list[list]]:
    """``git log --numstat`` over one chunk of commits; a commit that makes git
    stop is read on its own and the chunk goes on after it."""
    found: dict[str, list[list]] = {}
    pending = chunk
    while pending:
        proc = repo.run(
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--numstat",
            "-z",
            *_DIFF_OPTIONS,
            "--no-show-signature",
            f"--format={_HEADER}%H",
            "--",
            *PATHSPEC,
            input=("\n".join(pending) + "\n").encode("ascii"),
            stop=stop,
        )
        order, parsed = parse_numstat(proc.stdout.decode("utf-8", "surrogateescape"))
        if proc.returncode == 0:
            found.update(parsed)
            for cid in pending:  # left out by the pathspec: no Python file changed
                found.setdefault(cid, [])
            return found
        if not _object_missing(proc.stderr):
            raise RuntimeError(f"git log --numstat failed: {first_line(proc.stderr)}")
        # git stopped inside the last commit it began to print (or before the first)
        culprit = order[-1] if order else pending[0]
        position = pending.index(culprit) if culprit in pending else 0
        for cid in pending[:position]:
            found[cid] = parsed.get(cid, [])
        found[culprit] = _read_one(repo, culprit, stop)
        pending = pending[position + 1 :]
    return found


def parse_numstat(text: str) -> tuple[list[str], dict[str, list[list]]]:
    """Parse ``git log -z --numstat --format=<\\x01>%H`` output: the commit ids
    in the order printed and each one's file entries."""
    order: list[str] = []
    parsed: dict[str, list[list]] = {}
    current: list[list] | None = None
    tokens = text.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if not token:
            continue
        if token.startswith(_HEADER):
            commit_id = token[1:].strip()
            current = parsed.setdefault(commit_id, [])
            order.append(commit_id)
            continue
        if current is None:
            continue
        parts = token.split("\t", 2)
        if len(parts) != 3:
            continue
        added, deleted = _count(parts[0]), _count(parts[1])
        if parts[2]:
            current.append([parts[2], added, deleted])
        else:  # a rename: the old and the new path follow as fields of their own
            old = tokens[i] if i < len(tokens) else ""
            new = tokens[i + 1] if i + 1 < len(tokens) else ""
            i += 2
            if new:
                current.append([new, added, deleted, old])
    return order, parsed


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0  # "-" for a binary file


def _read_one(repo: GitRepo, commit_id: str, stop: threading.Event | None = None) -> list[list]:
    """One commit's Python changes when its diff cannot be read whole: list
    the changed files from the trees (renames found by blob id where
    possible), count lines in the files whose contents exist, and mark the
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
        return []
    oids = [oid for _path, _old_path, old, new in entries for oid in (old, new) if oid]
    sizes = repo.object_sizes(oids)

    def readable(old: str | None, new: str | None) -> bool:
        return all(sizes.get(o) is not None for o in (old, new) if o)

    changes: list[list] = []
    counted = [(path, old_path) for path, old_path, old, new in entries if readable(old, new)]
    for path, old_path, old, new in entries:
        if not readable(old, new):
            changes.append([path, UNKNOWN, UNKNOWN, old_path] if old_path else [path, UNKNOWN, UNKNOWN])
    if counted:
        pathspec = [f":(literal){p}" for path, old_path in counted for p in (path, old_path) if p]
        proc = repo.run(
            "diff-tree", "-r", "-z", "--root", "--no-commit-id", "--numstat", *_DIFF_OPTIONS,
            commit_id, "--", *pathspec, stop=stop,
        )
        if proc.returncode == 0:
            _order, parsed = parse_numstat(f"{_HEADER}{commit_id}\0" + proc.stdout.decode("utf-8", "surrogateescape"))
            changes.extend(parsed.get(commit_id, []))
        else:
            changes.extend([path, UNKNOWN, UNKNOWN, old_path] if old_path else [path, UNKNOWN, UNKNOWN] for path, old_path in counted)
    return changes


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
