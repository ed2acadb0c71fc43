"""Safe access to a git repository we do not trust.

Every git command runs with configuration that stops a scanned repository from
making git run programs of its choosing (fsmonitor hooks, external diff and
textconv drivers) and without taking optional locks, so scanning never writes
to the repository. Blob contents come from one long-lived ``git cat-file
--batch`` process kept by GitPython.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RepositoryError, Stopped

# Settings forced on every git command we run.
SAFE_CONFIG = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("diff.external", ""),
    ("core.pager", "cat"),
    ("protocol.allow", "never"),
)

#: how often a stoppable git command checks whether it was asked to stop
STOP_POLL_SECONDS = 0.2
MODE_FILE = "100644"
MODE_EXECUTABLE = "100755"
MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"


def safe_git_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment variables that apply SAFE_CONFIG to any git process."""
    env = dict(base if base is not None else os.environ)
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    for key, value in SAFE_CONFIG:
        env[f"GIT_CONFIG_KEY_{count}"] = key
        env[f"GIT_CONFIG_VALUE_{count}"] = value
        count += 1
    env["GIT_CONFIG_COUNT"] = str(count)
    env["GIT_OPTIONAL_LOCKS"] = "0"
    index_file = env.get("GIT_INDEX_FILE")
    if index_file and not os.path.isabs(index_file):
        # git hands hooks a path relative to the top of the work tree
        # (`git commit` sets GIT_INDEX_FILE=.git/index); our git processes
        # may run elsewhere, so pin it to where it was given.
        env["GIT_INDEX_FILE"] = os.path.abspath(index_file)
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


@dataclass(frozen=True)
class Change:
    """One file of a diff in git's raw format (``--raw -z``: ``git diff-index
    --cached -M``, ``git diff``, ``git diff-tree``). ``old_path``/``old_oid``
    are None for an added file, ``new_path``/``new_oid`` None for a deleted one."""

    status: str  # A added, M modified, R renamed, C copied, D deleted, T type changed
    old_path: str | None
    new_path: str | None
    old_oid: str | None
    new_oid: str | None
    old_mode: str
    new_mode: str


_NULL_OID = frozenset({"0" * 40, "0" * 64})
EMPTY_TREES = {
    "sha1": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "sha256": "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}


def parse_raw_diff(text: str) -> list[Change]:
    """The records of a diff in git's raw format with NUL-separated fields
    (``--raw -z --no-abbrev``): ``:old_mode new_mode old_oid new_oid status``,
    then the path - or, for a rename or copy (R, C), the old and the new
    path. A record that is cut short or malformed is left out."""
    tokens = text.split("\0")
    changes = []
    i = 0
    while i + 1 < len(tokens):
        meta = tokens[i].lstrip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        fields = meta[1:].split()
        kind = fields[4][:1] if len(fields) >= 5 else ""
        if kind and kind in "RC":
            if i + 2 >= len(tokens):
                break
            old_path, new_path = tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            old_path = new_path = tokens[i + 1]
            i += 2
        if not kind:
            continue
        old_mode, new_mode, old_oid, new_oid = fields[:4]
        changes.append(
            Change(
                status=kind,
                old_path=None if kind == "A" else old_path,
                new_path=None if kind == "D" else new_path,
                old_oid=None if old_oid in _NULL_OID or kind == "A" else old_oid,
                new_oid=None if new_oid in _NULL_OID or kind == "D" else new_oid,
                old_mode=old_mode,
                new_mode=new_mode,
            )
        )
    return changes


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    kind: str  # blob | commit (submodule) | tree
    oid: str


class GitRepo:
    """A repository opened for reading. Not shared between processes: each
    worker opens its own (``GitRepo(path)``) and so gets its own cat-file."""

    def __init__(self, path: str | os.PathLike[str]):
        import git  # GitPython; imported lazily to keep the hook path fast

        self._git_module = git
        self._version: tuple[int, ...] | None = None
        try:
            self.repo = git.Repo(os.fspath(path), search_parent_directories=True)
        except git.NoSuchPathError as exc:
            raise RepositoryError(f"{path}: no such directory") from exc
        except git.InvalidGitRepositoryError as exc:
            raise RepositoryError(f"{path}: not a git repository") from exc
        self.git_dir = Path(self.repo.git_dir).resolve()
        bare = self.repo.bare or _is_git_dir(Path(path).resolve())
        overrides = _environment_overrides()
        if bare:
            # GitPython guesses a work tree next to a bare repository that has
            # no core.bare setting; point git at the repository itself instead.
            overrides["GIT_DIR"] = str(self.git_dir)
        self.repo.git.update_environment(**overrides)
        self.git = self.repo.git
        self.work_tree = None if bare else Path(self.repo.working_tree_dir)

    # -- revisions -------------------------------------------------------
    def has_commits(self) -> bool:
        try:
            self.git.rev_parse("--verify", "-q", "HEAD^{commit}")
        except self._git_module.GitCommandError:
            return False
        return True

    def resolve(self, rev: str) -> str:
        """Full commit id of ``rev``; a clear error when it does not exist."""
        if rev.startswith("-"):
            raise RepositoryError(f"bad revision {rev!r}")
        if rev == "HEAD" and not self.has_commits():
            raise RepositoryError("the repository has no commits yet; commit something first")
        try:
            return self.git.rev_parse("--verify", "-q", f"{rev}^{{commit}}").strip()
        except self._git_module.GitCommandError as exc:
            raise RepositoryError(f"unknown revision {rev!r} (not a commit in this repository)") from exc

    def commit_date(self, commit: str) -> str:
        return self.git.show("-s", "--format=%cI", commit).strip()

    def is_shallow(self) -> bool:
        try:
            return self.git.rev_parse("--is-shallow-repository").strip() == "true"
        except self._git_module.GitCommandError:
            return (self.git_dir / "shallow").exists()

    def is_partial(self) -> bool:
        """A partial clone (``--filter``): objects it lacks are fetched from
        its remote when asked for."""
        return self.run("config", "--get", "extensions.partialclone").returncode == 0

    def head_ref(self) -> str | None:
        """Branch name HEAD points at, or None when HEAD is detached."""
        try:
            return self.git.symbolic_ref("-q", "--short", "HEAD").strip() or None
        except self._git_module.GitCommandError:
            return None

    # -- trees -----------------------------------------------------------
    def ls_tree(self, commit: str, prefix: str = "") -> list[TreeEntry]:
        args = ["-r", "-z", "--full-tree", commit]
        if prefix:
            args += ["--", prefix]
        out = self.git.ls_tree(*args, strip_newline_in_stdout=False)
        entries = []
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, kind, oid = meta.split()
            entries.append(TreeEntry(path, mode, kind, oid))
        return entries

    def ls_index(self, prefix: str = "") -> list[TreeEntry]:
        args = ["-s", "-z", "--full-name"]
        if prefix:
            args += ["--", prefix]
        out = self._run_in_worktree("ls-files", *args)
        entries = {}
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, oid, stage = meta.split()
            if stage not in ("0", "2"):
                continue  # during a merge conflict, keep "ours"
            kind = "commit" if mode == MODE_SUBMODULE else "blob"
            entries[path] = TreeEntry(path, mode, kind, oid)
        return list(entries.values())

    def staged_changes(self, base: str | None) -> list[Change]:
        """What the index changes compared with commit ``base`` (None: the
        empty tree, for a repository with no commits yet), renames detected.
        The index is ``$GIT_INDEX_FILE`` when set (``git commit -a`` and
        partial commits run hooks on a temporary index)."""
        args = ["--cached", "-M", "-z", "--raw", "--no-abbrev", "--ignore-submodules=none", base or self.empty_tree()]
        return parse_raw_diff(self._run_in_worktree("diff-index", *args))

    def empty_tree(self) -> str:
        """Id of the empty tree in this repository's hash function."""
        try:
            hash_function = self.git.rev_parse("--show-object-format").strip()
        except self._git_module.GitCommandError:
            hash_function = "sha1"
        return EMPTY_TREES.get(hash_function, EMPTY_TREES["sha1"])

    def worktree_changes(self, prefix: str = "") -> tuple[set[str], set[str]]:
        """(paths that differ from the index in the work tree, untracked paths)."""
        args = ["-z", "--name-only"]
        if prefix:
            args += ["--", prefix]
        changed = {p for p in self._run_in_worktree("diff-files", *args).split("\0") if p}
        other_args = ["-z", "--others", "--exclude-standard", "--full-name"]
        if prefix:
            other_args += ["--", prefix]
        untracked = {p for p in self._run_in_worktree("ls-files", *other_args).split("\0") if p}
        return changed, untracked

    def _run_in_worktree(self, command: str, *args: str) -> str:
        if self.work_tree is None:
            raise RepositoryError("this is a bare repository: it has no work tree or index to scan")
        return self.git.execute(
            ["git", command, *args],
            strip_newline_in_stdout=False,
            with_extended_output=False,
        )

    def object_sizes(self, oids: list[str]) -> dict[str, int | None]:
        """Size of each object, None when the object is missing from the repository."""
        if not oids:
            return {}
        unique = list(dict.fromkeys(oids))
        proc = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "cat-file", "--batch-check"],
            input=("\n".join(unique) + "\n").encode(),
            capture_output=True,
            env=safe_git_env(),
            check=False,
        )
        sizes: dict[str, int | None] = {}
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1] == "missing":
                sizes[parts[0]] = None
            elif len(parts) == 3:
                sizes[parts[0]] = int(parts[2])
        for oid in unique:
            sizes.setdefault(oid, None)
        return sizes

    # -- history ---------------------------------------------------------
    def run(self, *args: str, input: bytes | None = None, stop: threading.Event | None = None) -> subprocess.CompletedProcess:
        """Run one git command with the safe environment; bytes in and out.
        The caller looks at ``returncode`` and ``stderr``. ``stop``: once it
        is set, the command is killed and :class:`Stopped` raised (a long
        history read must not hold up an abandoned scan)."""
        if stop is None:
            return subprocess.run(self.command(*args), input=input, capture_output=True, env=safe_git_env(), check=False)
        if stop.is_set():
            raise Stopped("stopped")
        proc = subprocess.Popen(
            self.command(*args),
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=safe_git_env(),
        )
        outcome: dict[str, Any] = {}

        def talk() -> None:  # communicate() cannot resume sending input after a timeout
            try:
                outcome["output"] = proc.communicate(input)
            except BaseException as exc:  # noqa: BLE001 - raised below, in the caller's thread
                outcome["error"] = exc

        talker = threading.Thread(target=talk, name="git-command", daemon=True)
        talker.start()
        while talker.is_alive():
            talker.join(STOP_POLL_SECONDS)
            if stop.is_set() and talker.is_alive():
                proc.kill()  # communicate() then sees the pipes close and returns
                talker.join()
                raise Stopped("stopped")
        if "error" in outcome:
            raise outcome["error"]
        stdout, stderr = outcome["output"]
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)

    def stream(self, *args: str, input: bytes | None = None, stop: threading.Event | None = None) -> Streamed:
        """Run one git command whose output is read as it comes, in blocks
        (``for block in streamed``), so a long output is never held whole;
        ``returncode`` and ``stderr`` once the blocks are all read. ``stop``:
        once it is set, the command is killed and :class:`Stopped` raised."""
        return Streamed(self.command(*args), input, stop)

    def command(self, *args: str) -> list[str]:
        """Argument list for a git command on this repository (work tree
        commands run in the work tree, so ``.mailmap`` there applies)."""
        if self.work_tree is not None:
            return ["git", "-C", str(self.work_tree), *args]
        return ["git", "--git-dir", str(self.git_dir), *args]

    def first_parents(self, rev: str, count: int) -> list[str]:
        """``rev`` and its nearest first-parent ancestors, newest first, at most
        ``count`` commits; empty when ``rev`` cannot be read."""
        if rev.startswith("-"):
            return []
        proc = self.run("rev-list", "--first-parent", f"--max-count={count}", rev, "--")
        if proc.returncode != 0:
            return []
        return proc.stdout.decode("ascii", "replace").split()

    def first_parent_chain(self, rev: str) -> list[tuple[str, int]]:
        """``(commit, committer time)`` along the first-parent chain of ``rev``,
        newest first: the commits a branch pointed at over time."""
        commit = self.resolve(rev)
        proc = self.run("rev-list", "--first-parent", "--format=%H %ct", "--no-commit-header", commit)
        if proc.returncode != 0:
            raise RepositoryError(f"cannot list the history of {rev!r}: {first_line(proc.stderr)}")
        chain = []
        for line in proc.stdout.decode("ascii", "replace").splitlines():
            parts = line.split()
            if len(parts) == 2:
                chain.append((parts[0], int(parts[1])))
        return chain

    def has_commit(self, oid: str) -> bool:
        if not oid or oid.startswith("-"):
            return False
        proc = self.run("cat-file", "-e", f"{oid}^{{commit}}")
        return proc.returncode == 0

    def renames(self, old: str, new: str) -> dict[str, str]:
        """Paths git's rename detection sees as moved between two revisions
        (``git diff -M``), old path -> new path."""
        proc = self.run("diff", "-M", "--raw", "-z", "--no-abbrev", "--no-ext-diff", "--no-textconv", old, new, "--")
        if proc.returncode != 0:
            raise RepositoryError(f"cannot compare {old[:12]} with {new[:12]}: {first_line(proc.stderr)}")
        changes = parse_raw_diff(proc.stdout.decode("utf-8", "surrogateescape"))
        return {c.old_path: c.new_path for c in changes if c.status == "R"}

    # -- blobs -----------------------------------------------------------
    def read_blob(self, oid: str) -> bytes | None:
        """Contents of a blob, or None when the object is missing."""
        try:
            _sha, _kind, _size, data = self.git.get_object_data(oid)
        except ValueError:
            return None
        return data

    def version(self) -> tuple[int, ...]:
        """The running git's version, e.g. ``(2, 39, 5)``; ``(0,)`` when it
        cannot be told."""
        if self._version is None:
            proc = subprocess.run(["git", "version"], capture_output=True, env=safe_git_env(), check=False)
            numbers = re.findall(r"\d+", proc.stdout.decode("ascii", "replace").split("(")[0])[:3]
            self._version = tuple(int(n) for n in numbers) or (0,)
        return self._version

    # -- history ---------------------------------------------------------
    def reachable_blobs(self, rev: str, exclude: Iterable[str] = ()) -> Iterator[tuple[str, int, str]]:
        """``(blob id, size, path)`` of every blob reachable from ``rev`` (and
        not from any commit in ``exclude``), each once, in ``git rev-list
        --objects`` order (newest commits first). Objects missing from the
        repository (shallow or partial clones, damage) are left out."""
        exclude = list(exclude)
        if any(r.startswith("-") for r in (rev, *exclude)):
            raise RepositoryError(f"bad revision {rev!r}")
        env = safe_git_env()
        # trees and commits are two thirds of the objects: a git that can
        # leave them out of the listing (2.32+) saves reading and checking them
        only_blobs = ["--filter=object:type=blob"] if self.version() >= (2, 32) else []
        lister = subprocess.Popen(
            ["git", "--git-dir", str(self.git_dir), "rev-list", "--objects", "--missing=print", *only_blobs, rev, *(f"^{r}" for r in exclude)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        checker = subprocess.Popen(
            [
                "git", "--git-dir", str(self.git_dir), "cat-file",
                "--batch-check=%(objecttype) %(objectname) %(objectsize) %(rest)", "--buffer",
            ],
            stdin=lister.stdout,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        lister.stdout.close()  # the checker owns the pipe now
        try:
            for raw in checker.stdout:
                if not raw.startswith(b"blob "):
                    continue
                parts = raw.rstrip(b"\n").split(b" ", 3)
                if len(parts) < 4 or not parts[3]:
                    continue
                yield parts[1].decode(), int(parts[2]), parts[3].decode("utf-8", "surrogateescape")
        finally:
            _stop(checker)
            _stop(lister)

    def iter_blobs(self, oids: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """Contents of many blobs through one pipelined ``git cat-file
        --batch``, in the order asked; ``None`` for a missing object. Stopping
        early (closing the generator) stops git."""
        proc = subprocess.Popen(
            ["git", "--git-dir", str(self.git_dir), "cat-file", "--batch", "--buffer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=safe_git_env(),
        )
        wanted = list(oids)

        def feed() -> None:
            try:
                for oid in wanted:
                    proc.stdin.write(oid.encode() + b"\n")
                proc.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = proc.stdout
        try:
            for oid in wanted:
                header = out.readline()
                if not header:
                    return
                fields = header.split()
                if len(fields) == 2 and fields[1] == b"missing":
                    yield oid, None
                    continue
                size = int(fields[2])
                data = out.read(size)
                out.read(1)
                yield oid, data
        finally:
            _stop(proc)
            writer.join(timeout=5)

    def blob_introductions(self, rev: str, paths: Iterable[str]) -> dict[str, tuple[str, str]]:
        """For the blobs written at ``paths`` in the history of ``rev``: the
        oldest commit that wrote each, as ``{blob: (commit, ISO date)}``.
        Merge commits are not looked into."""
        paths = sorted(set(paths))
        if not paths:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(paths), 200):
            batch = paths[start : start + 200]
            out = subprocess.run(
                [
                    "git", "--git-dir", str(self.git_dir), "log", "--raw", "--no-renames", "--no-abbrev",
                    "--format=%x00%H %cI", rev, "--", *(f":(literal){p}" for p in batch),
                ],
                capture_output=True,
                env=safe_git_env(),
                check=False,
            ).stdout.decode("utf-8", "replace")
            commit = ("", "")
            for line in out.splitlines():
                if line.startswith("\0"):
                    sha, _, date = line[1:].partition(" ")
                    commit = (sha, date)
                elif line.startswith(":") and commit[0]:
                    meta = line.split("\t", 1)[0].split()
                    if len(meta) >= 4:
                        found[meta[3]] = commit  # walking back in time: the last one seen is the oldest
        return found

    def close(self) -> None:
        try:
            self.git.clear_cache()
            self.repo.close()
        except Exception:  # noqa: BLE001 - closing must never fail a scan
            pass


class Streamed:
    """A running git command's output, block by block (:meth:`GitRepo.stream`)."""

    BLOCK = 1 << 20

    def __init__(self, command: list[str], input: bytes | None, stop: threading.Event | None):
        if stop is not None and stop.is_set():
            raise Stopped("stopped")
        self.stop = stop
        self.returncode: int | None = None
        self.stderr = b""
        self._proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=safe_git_env(),
        )
        self._blocks: queue.Queue = queue.Queue(maxsize=8)  # a slow reader holds git back, not memory
        self._abandoned = False
        self._errors: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._feed, args=(input,), name="git-stream-in", daemon=True),
            threading.Thread(target=self._read, name="git-stream-out", daemon=True),
            threading.Thread(target=lambda: self._errors.append(self._proc.stderr.read()), name="git-stream-err", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _feed(self, data: bytes | None) -> None:
        if data is None:
            return
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # git stopped reading (it failed, or was killed)

    def _read(self) -> None:
        try:
            while True:
                block = self._proc.stdout.read1(self.BLOCK)
                while not self._abandoned:
                    try:
                        self._blocks.put(block, timeout=STOP_POLL_SECONDS)
                        break
                    except queue.Full:
                        continue
                if not block:
                    return
        except (OSError, ValueError):
            self._blocks.put(b"")

    def __iter__(self):
        try:
            while True:
                try:
                    block = self._blocks.get(timeout=STOP_POLL_SECONDS)
                except queue.Empty:
                    block = None
                if self.stop is not None and self.stop.is_set():
                    raise Stopped("stopped")
                if block is None:
                    continue
                if not block:
                    break
                yield block
            self.returncode = self._proc.wait()
            for thread in self._threads:
                thread.join()
            self.stderr = b"".join(self._errors)
            for pipe in (self._proc.stdout, self._proc.stderr):
                pipe.close()  # read to the end by the threads just joined
        finally:
            if self.returncode is None:  # stopped, or the reader gave up early
                # the reading threads end when the pipes close; a program git
                # started (an alias) may hold them a while, so no waiting here
                self._abandoned = True
                self._proc.kill()
                self._proc.wait()


def _stop(proc: subprocess.Popen) -> None:
    """End a git process we no longer read from. Kill it first: a thread
    feeding its stdin may be blocked in a write (holding the stream's lock)
    because git waits for us to read; only git's exit frees that write."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdout, proc.stdin):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass


def first_line(stderr: bytes) -> str:
    """The first line of a failed git command's error output."""
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "git failed"


def _environment_overrides() -> dict[str, str]:
    full = safe_git_env()
    return {k: v for k, v in full.items() if os.environ.get(k) != v}


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def is_git_repository(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is inside a git work tree or is a git directory."""
    p = Path(path).resolve()
    for candidate in (p, *p.parents):
        if (candidate / ".git").exists():
            return True
        if _is_git_dir(candidate):
            return True
    return False
