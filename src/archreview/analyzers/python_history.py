"""The Python changes of every commit, read once per scan for two analyzers.

``activity`` counts each Python file's lines added and deleted per commit;
``secrets-history`` looks for secrets in the lines each commit added to
Python files (:mod:`.secrets_added`): old versions of Python files are most
of a repository's history, and reading what each commit changed costs a
fraction of reading every old version whole. Both answers come from one
``git log -p`` pass (:func:`.activity.gitlog.read`, cached per commit), done
by whichever analyzer asks first while the other waits (the scan's
:class:`~.base.Once`, under ``SHARED`` in the options).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..gitrepo import GitRepo
from .activity import gitlog
from .base import SHARED, STOP, Once
from .secrets_added import AddedSecrets


@dataclass
class PythonHistory:
    commits: list[gitlog.Commit]
    changes: dict[str, list[list]]  # commit id -> file entries (gitlog.read)
    #: commit id -> secrets found in the lines it added to Python files;
    #: None when the history is not checked for secrets
    secrets: dict[str, list[dict[str, Any]]] | None = None


def read(context) -> PythonHistory:
    """The Python history of the scanned revision (a git commit)."""
    shared = context.options.get(SHARED)
    if isinstance(shared, Once):
        return shared.get(("python-history", context.snapshot.revision), lambda: _read(context))
    return _read(context)


def _read(context) -> PythonHistory:
    snapshot = context.snapshot
    memo = context.options.get(gitlog.MEMO_OPTION)
    memo = memo if isinstance(memo, gitlog.Memo) else None
    jobs = context.options.get("jobs")
    if not jobs:
        from ..engine import available_cpus  # only when needed: the engine imports the analyzers

        jobs = available_cpus()
    scanner = AddedSecrets.for_context(context)
    # in a shallow clone the oldest commit reached looks like a first commit
    # (everything added): what is read there must not be kept per commit id
    cache = None if snapshot.shallow else context.cache
    memo = None if snapshot.shallow else memo
    repo = GitRepo(snapshot.root)
    try:
        commits = gitlog.list_commits(repo, snapshot.revision, memo)
        found = gitlog.read(
            repo, commits, cache, jobs=jobs, memo=memo, revision=snapshot.revision,
            stop=context.options.get(STOP), scanner=scanner,
        )
    finally:
        repo.close()
    return PythonHistory(commits, found.changes, found.found if scanner is not None else None)
