"""``archreview check``: the staged change, file analyzers only, compared with
a base so that only *new* findings count.

* What is checked: the index (``$GIT_INDEX_FILE`` when git sets it), never
  the work tree - what is about to be committed. Only the given files, or
  every file the index changes when none are given.
* The base: the same files at HEAD (renames in the staged change followed
  with ``git diff-index --cached -M``), read through the blob cache, so an
  unchanged base costs a cache lookup; or a stored result
  (``--baseline FILE``, ``--history``: the newest month in
  ``.archreview/history/``), with renames followed from that result's
  revision to the index.
* New findings at or above the threshold fail (see ``archreview.gate``).

Repository-wide analyzers do not run: they are slow and judge the whole
repository, not a change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .baseline import latest_stored, load_result, new_findings
from .config import Config
from .engine import Engine, ScanOptions
from .errors import ArchreviewError, RepositoryError
from .gate import GATE_OFF, fail_on_setting, failing
from .gitrepo import MODE_SUBMODULE, Change, GitRepo
from .model import Finding
from .scan import config_for
from .snapshot import STATUS_MISSING, STATUS_OK, FileRef, Snapshot, index_snapshot


@dataclass
class CheckOutcome:
    threshold: str
    checked: list[str] = field(default_factory=list)  # paths analysed (staged side)
    new: list[Finding] = field(default_factory=list)  # findings not in the base
    failures: list[Finding] = field(default_factory=list)  # new findings that fail the gate
    base: str = "HEAD"  # what the findings were compared with


def run_check(
    root: str | os.PathLike[str] = ".",
    files: list[str] | None = None,
    *,
    fail_on: str | None = None,
    baseline: str | None = None,
    history: bool = False,
    config_path: str | None = None,
    use_cache: bool = True,
    cache_dir: str | None = None,
) -> CheckOutcome:
    repo = GitRepo(root)
    try:
        if repo.work_tree is None:
            raise RepositoryError("check needs a work tree and its index; this repository is bare")
        head = repo.resolve("HEAD") if repo.has_commits() else None
        wanted = _selector(repo.work_tree, files)
        # an unmerged path (status U) cannot be committed: git refuses first
        changes = [c for c in repo.staged_changes(head) if c.new_path is not None and c.status != "U"]
        stored_path, stored = _stored_result(repo, baseline, history)
        if stored_path is not None and wanted.given:
            # a stored base: the given files are checked whether or not they changed
            targets = frozenset(e.path for e in repo.ls_index() if wanted(e.path))
        else:
            changes = [c for c in changes if wanted(c.new_path)]
            targets = frozenset(c.new_path for c in changes)
        snapshot = index_snapshot(repo, sized=targets)
        config = config_for(snapshot, config_path)
        outcome = CheckOutcome(threshold=fail_on_setting(fail_on, config))
        if outcome.threshold == GATE_OFF or not targets:
            return outcome
        outcome.checked = sorted(targets)
        engine = _engine(config, use_cache, cache_dir)
        try:
            current = _findings(engine, snapshot, targets)
            if not current:
                return outcome
            if stored is not None:
                outcome.base = str(stored_path)
                base = stored.findings
                base_rev = _commit_or_none(repo, stored.revision) or head
                # against HEAD: the staged changes listed above (every rename to a target is among them)
                base_changes = changes if base_rev == head else repo.staged_changes(base_rev)
                renames = {c.old_path: c.new_path for c in base_changes if c.status == "R" and c.new_path in targets}
            else:
                based = [c for c in changes if c.old_oid is not None and c.old_mode != MODE_SUBMODULE and c.status in "MRCT"]
                base = _findings(engine, _base_snapshot(repo, snapshot, targets, based), frozenset(c.old_path for c in based)) if based else []
                renames = {c.old_path: c.new_path for c in based if c.old_path != c.new_path}
        finally:
            engine.close()
    finally:
        repo.close()
    outcome.new = new_findings(current, base, renames)
    outcome.failures = failing(outcome.new, outcome.threshold)
    return outcome


def _stored_result(repo: GitRepo, baseline: str | None, history: bool):
    """(where, the stored result) to compare with, or (None, None) for HEAD."""
    if baseline:
        return Path(baseline), load_result(baseline)
    if history:
        found = latest_stored(repo.work_tree)
        if found is None:
            raise ArchreviewError("--history: no stored result in .archreview/history/ (run `archreview scan --save` first)")
        return found
    return None, None


def _engine(config: Config, use_cache: bool, cache_dir: str | None) -> Engine:
    options = ScanOptions(jobs=0, use_cache=use_cache, cache_dir=Path(cache_dir) if cache_dir else None, repo_analyzers=False)
    return Engine(config, options)


def _findings(engine: Engine, snapshot: Snapshot, paths: frozenset[str]) -> list[Finding]:
    engine.options.paths = paths
    result, _stats = engine.scan(snapshot)
    return result.findings


def _base_snapshot(repo: GitRepo, staged: Snapshot, targets: frozenset[str], changes: list[Change]) -> Snapshot:
    """The changed files as they are at HEAD, at their old paths, among the
    index's other files (which only name modules)."""
    sizes = repo.object_sizes([c.old_oid for c in changes])
    old_paths = {c.old_path for c in changes}
    files = [f for f in staged.files if f.path not in targets and f.path not in old_paths]
    for c in changes:
        size = sizes.get(c.old_oid)
        files.append(FileRef(c.old_path, c.old_oid, size, c.old_mode, status=STATUS_OK if size is not None else STATUS_MISSING))
    return Snapshot(kind="revision", root=staged.root, files=files, revision=staged.revision)


def _commit_or_none(repo: GitRepo, rev: str | None) -> str | None:
    if not rev:
        return None
    try:
        return repo.resolve(rev)
    except RepositoryError:
        return None  # e.g. a shallow clone without that commit: renames are not followed


class _Wanted:
    """Which repository paths the command line asked for (all when none)."""

    def __init__(self, paths: set[str], folders: tuple[str, ...]):
        self.paths = paths
        self.folders = folders
        self.given = bool(paths or folders)

    def __call__(self, path: str) -> bool:
        return not self.given or path in self.paths or path.startswith(self.folders)


def _selector(work_tree: Path, files: list[str] | None) -> _Wanted:
    top = work_tree.resolve()
    paths: set[str] = set()
    folders: list[str] = []
    for name in files or ():
        absolute = Path(os.path.abspath(name))
        try:
            rel = absolute.relative_to(top)
        except ValueError:
            try:
                rel = absolute.resolve().relative_to(top)
            except ValueError:
                raise ArchreviewError(f"{name}: outside the repository at {top}") from None
        rel_posix = rel.as_posix()
        if rel_posix == ".":
            return _Wanted(set(), ())
        if absolute.is_dir():
            folders.append(rel_posix.rstrip("/") + "/")
        else:
            paths.add(rel_posix)
    return _Wanted(paths, tuple(folders))

