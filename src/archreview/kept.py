"""Documents kept per commit in the cache and found again from a descendant.

Some results describe a commit's whole history (every blob reachable from
it, the changes of every commit before it). A commit's history never
changes, so such a document is valid in any clone, and the next scan - nearly
always of a descendant - only has to add what is newer than the nearest
commit with a document. Only the last few documents of each kind are kept:
one can be a few MB on a long history.
"""

from __future__ import annotations

from .gitrepo import GitRepo

#: how far back along the first-parent line a kept document is looked for
ANCESTORS = 64
#: documents kept per namespace (the most recently stored)
KEEP = 12


def nearest(repo: GitRepo, revision: str, cache, namespace: str) -> str | None:
    """``revision`` or its nearest first-parent ancestor (within
    ``ANCESTORS`` commits) that has a document in ``namespace``."""
    chain = repo.first_parents(revision, ANCESTORS)
    present = cache.kv_present(namespace, chain) if chain else set()
    return next((commit for commit in chain if commit in present), None)


def store(cache, namespace: str, revision: str, document) -> None:
    """Keep ``document`` for ``revision`` and drop the oldest beyond ``KEEP``."""
    cache.put_kv(namespace, revision, document)
    cache.prune_kv(namespace, KEEP)
