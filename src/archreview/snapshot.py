"""The files of one state of a repository, read without a checkout.

Four kinds share one interface:

* ``revision``  - a commit, from git objects (``git ls-tree``), the default;
* ``index``     - the staged files (pre-commit), from the index;
* ``worktree``  - tracked and untracked files as they are on disk now;
* ``directory`` - a folder that is not a git repository.

A snapshot lists :class:`FileRef` entries; contents are read through a
:class:`BlobReader`, which each worker process opens for itself from the
picklable :class:`ReaderSpec`, so the parent never holds every file at once.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import RepositoryError
from .gitrepo import MODE_SUBMODULE, MODE_SYMLINK, GitRepo, is_git_repository

STATUS_OK = "ok"
STATUS_MISSING = "missing"
STATUS_SYMLINK = "symlink"
STATUS_SUBMODULE = "submodule"

IGNORED_DIRECTORIES = {".git", ".hg", ".svn", "CVS", ".bzr"}


def git_blob_id(data: bytes) -> str:
    """The id git gives to a blob with these contents."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileRef:
    path: str  # repository-relative, forward slashes
    blob: str | None  # git blob id of the contents; None until hashed
    size: int | None  # None when the object is missing
    mode: str = "100644"
    location: str = "git"  # git: read by blob id; fs: read from disk
    status: str = STATUS_OK


@dataclass(frozen=True)
class ReaderSpec:
    """What a process needs to open its own reader."""

    kind: str  # git | fs
    root: str


class BlobReader:
    """Reads file contents for one process."""

    def __init__(self, spec: ReaderSpec):
        self.spec = spec
        self._git: GitRepo | None = None
        self._root = Path(spec.root)

    def read(self, ref: FileRef) -> bytes | None:
        if ref.location == "fs":
            return _read_regular_file(self._root, ref.path)
        if self._git is None:
            self._git = GitRepo(self.spec.root)
        return self._git.read_blob(ref.blob)

    def close(self) -> None:
        if self._git is not None:
            self._git.close()
            self._git = None


def _read_regular_file(root: Path, relpath: str) -> bytes | None:
    """Read a file below root without following a symlink anywhere on the way."""
    path = root / relpath
    try:
        resolved = path.resolve()
        resolved.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


@dataclass
class Snapshot:
    kind: str  # revision | index | worktree | directory
    root: str  # repository root or directory
    files: list[FileRef]
    revision: str | None = None  # commit id (HEAD for index/worktree)
    revision_date: str | None = None
    ref: str | None = None
    shallow: bool = False
    bare: bool = False
    prefix: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def reader_spec(self) -> ReaderSpec:
        return ReaderSpec("fs" if self.kind == "directory" else "git", self.root)

    def open_reader(self) -> BlobReader:
        return BlobReader(self.reader_spec)

    def paths(self) -> set[str]:
        return {f.path for f in self.files}

    def with_blob_ids(self, refs: list[FileRef]) -> list[FileRef]:
        """Fill in the blob id of files read from disk (hashing their contents)."""
        out = []
        root = Path(self.root)
        for ref in refs:
            if ref.blob is None and ref.status == STATUS_OK:
                data = _read_regular_file(root, ref.path)
                if data is None:
                    ref = replace(ref, status=STATUS_MISSING, size=None)
                else:
                    ref = replace(ref, blob=git_blob_id(data), size=len(data))
            out.append(ref)
        return out


def _status_for_mode(mode: str) -> str:
    if mode == MODE_SYMLINK:
        return STATUS_SYMLINK
    if mode == MODE_SUBMODULE:
        return STATUS_SUBMODULE
    return STATUS_OK


def _refs_from_entries(repo: GitRepo, entries, sized: Collection[str] | None = None) -> list[FileRef]:
    """FileRefs for tree or index entries, with sizes; a blob absent from
    the object store is marked missing. With ``sized``, only those paths are
    looked up (the others keep size None: listed, not to be read)."""
    sizes = repo.object_sizes([e.oid for e in entries if e.kind == "blob" and (sized is None or e.path in sized)])
    files = []
    for entry in entries:
        status = _status_for_mode(entry.mode)
        if sized is not None and entry.path not in sized:
            files.append(FileRef(entry.path, entry.oid, None if entry.kind == "blob" else 0, entry.mode, "git", status))
            continue
        size = sizes.get(entry.oid) if entry.kind == "blob" else 0
        if status == STATUS_OK and size is None:
            status = STATUS_MISSING
        files.append(FileRef(entry.path, entry.oid, size, entry.mode, "git", status))
    return files


def revision_snapshot(repo: GitRepo, rev: str = "HEAD", prefix: str = "") -> Snapshot:
    commit = repo.resolve(rev)
    files = _refs_from_entries(repo, repo.ls_tree(commit, prefix))
    return Snapshot(
        kind="revision",
        root=str(repo.work_tree or repo.git_dir),
        files=files,
        revision=commit,
        revision_date=repo.commit_date(commit),
        ref=rev if rev != "HEAD" else (repo.head_ref() or "HEAD"),
        shallow=repo.is_shallow(),
        bare=repo.work_tree is None,
        prefix=prefix,
    )


def index_snapshot(repo: GitRepo, prefix: str = "", sized: Collection[str] | None = None) -> Snapshot:
    """The staged files. ``sized``: the only paths that will be read (a
    pre-commit check of a few files of a large repository); the other files
    are listed without a size, which saves a lookup of every object."""
    files = _refs_from_entries(repo, repo.ls_index(prefix), sized)
    head = repo.resolve("HEAD") if repo.has_commits() else None
    return Snapshot(
        kind="index",
        root=str(repo.work_tree),
        files=files,
        revision=head,
        revision_date=repo.commit_date(head) if head else None,
        ref=repo.head_ref(),
        shallow=repo.is_shallow(),
        prefix=prefix,
    )


def worktree_snapshot(repo: GitRepo, prefix: str = "") -> Snapshot:
    """Tracked files as they are on disk (staged or not) plus untracked,
    not-ignored files. Unchanged files keep their index blob id."""
    if repo.work_tree is None:
        raise RepositoryError("--worktree needs a repository with a work tree (this one is bare)")
    index = {e.path: e for e in repo.ls_index(prefix)}
    changed, untracked = repo.worktree_changes(prefix)
    root = repo.work_tree
    files = []
    for path in sorted(set(index) | untracked):
        entry = index.get(path)
        if entry is not None and entry.mode == MODE_SUBMODULE:
            files.append(FileRef(path, entry.oid, 0, entry.mode, "git", STATUS_SUBMODULE))
            continue
        try:
            st = os.lstat(root / path)
        except OSError:
            continue  # deleted in the work tree
        if stat.S_ISLNK(st.st_mode):
            files.append(FileRef(path, None, 0, MODE_SYMLINK, "fs", STATUS_SYMLINK))
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if entry is not None and path not in changed:
            files.append(FileRef(path, entry.oid, st.st_size, entry.mode, "git"))
        else:
            mode = "100755" if st.st_mode & 0o111 else "100644"
            files.append(FileRef(path, None, st.st_size, mode, "fs"))
    head = repo.resolve("HEAD") if repo.has_commits() else None
    return Snapshot(
        kind="worktree",
        root=str(root),
        files=files,
        revision=head,
        revision_date=repo.commit_date(head) if head else None,
        ref=repo.head_ref(),
        shallow=repo.is_shallow(),
        prefix=prefix,
    )


def directory_snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """A folder that is not a git repository. Symlinks are listed, never followed."""
    root = Path(path).resolve()
    if not root.is_dir():
        raise RepositoryError(f"{path}: no such directory")
    files = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_DIRECTORIES)
        rel_dir = Path(dirpath).relative_to(root)
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                rel = (rel_dir / d).as_posix()
                files.append(FileRef(rel, None, 0, MODE_SYMLINK, "fs", STATUS_SYMLINK))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = (rel_dir / name).as_posix()
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                files.append(FileRef(rel, None, 0, MODE_SYMLINK, "fs", STATUS_SYMLINK))
            elif stat.S_ISREG(st.st_mode):
                files.append(FileRef(rel, None, st.st_size, "100644", "fs"))
    return Snapshot(
        kind="directory",
        root=str(root),
        files=files,
        notes=["not a git repository: scanned the files on disk; no revision, history or activity"],
    )


def open_snapshot(
    path: str | os.PathLike[str],
    rev: str | None = None,
    worktree: bool = False,
    index: bool = False,
) -> Snapshot:
    """The snapshot a command asked for. A folder outside git is scanned as a
    plain directory unless a revision was asked for explicitly."""
    if not Path(path).exists():
        raise RepositoryError(f"{path}: no such directory")
    if not is_git_repository(path):
        if rev is not None or index:
            raise RepositoryError(f"{path}: not a git repository, so --rev/--staged cannot be used")
        return directory_snapshot(path)
    repo = GitRepo(path)
    try:
        prefix = _prefix_of(repo, path)
        if index:
            return index_snapshot(repo, prefix)
        if worktree:
            if rev not in (None, "HEAD"):
                raise RepositoryError("--worktree scans the work tree; it cannot be combined with --rev")
            return worktree_snapshot(repo, prefix)
        return revision_snapshot(repo, rev or "HEAD", prefix)
    finally:
        repo.close()


def _prefix_of(repo: GitRepo, path: str | os.PathLike[str]) -> str:
    """Sub-folder of the work tree the user pointed at ('' for the root)."""
    if repo.work_tree is None:
        return ""
    try:
        rel = Path(path).resolve().relative_to(repo.work_tree.resolve())
    except ValueError:
        return ""
    rel_posix = rel.as_posix()
    return "" if rel_posix == "." else rel_posix + "/"
