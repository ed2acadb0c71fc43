"""Documents kept per commit in the cache and found again from a descendant.

Some results describe a commit's whole history (every blob reachable from
it, the changes of every commit before it). A commit's history never
changes, so such a document is valid in any clone, and the next scan - nearly
always of a descendant - only has to add what is newer than the nearest
commit with a document. Only the last few documents of each kind are kept:
one can be a few MB on a long history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .gitrepo import GitRepo

#: how far back along the first-parent line a kept document is looked for
ANCESTORS = 64
#: a descendant whose document would differ from its ancestor's by less than
#: this many entries, within ANCESTORS // 4 commits, does not keep its own:
#: the next scan starts from the same ancestor at almost the same cost
SMALL_CHANGE = 1000
#: documents kept per namespace (the most recently stored)
KEEP = 24


@dataclass(frozen=True)
class Found:
    commit: str
    distance: int  # first-parent commits between it and the revision asked for


def nearest(repo: GitRepo, revision: str, cache, namespace: str) -> Found | None:
    """``revision`` or its nearest first-parent ancestor (within
    ``ANCESTORS`` commits) that has a document in ``namespace``."""
    chain = repo.first_parents(revision, ANCESTORS)
    present = cache.kv_present(_markers(namespace), chain) if chain else set()
    return next((Found(commit, i) for i, commit in enumerate(chain) if commit in present), None)


def load(repo: GitRepo, revision: str, cache, namespace: str) -> tuple[Found | None, Any]:
    """The nearest kept document for ``revision`` and where it was found;
    ``(None, None)`` when there is none or it cannot be read."""
    found = nearest(repo, revision, cache, namespace)
    document = cache.get_kv(namespace, found.commit) if found else None
    return (found, document) if document is not None else (None, None)


def worth_keeping(found: Found | None, added: int) -> bool:
    """Whether a revision should keep its own document, given the ancestor
    document it started from and how many entries it added to it."""
    if found is None:
        return True
    if found.distance == 0:
        return False
    return added >= SMALL_CHANGE or found.distance >= ANCESTORS // 4


def store(cache, namespace: str, revision: str, document) -> None:
    """Keep ``document`` for ``revision`` and drop the oldest beyond ``KEEP``."""
    cache.put_kv(namespace, revision, document)
    cache.put_kv(_markers(namespace), revision, 1)
    for name in (namespace, _markers(namespace)):
        cache.prune_kv(name, KEEP)


def _markers(namespace: str) -> str:
    """Which revisions have a document, as tiny rows of their own: asking
    SQLite for many keys at once reads every matching row whole, and a
    document is megabytes."""
    return f"{namespace}.present"
