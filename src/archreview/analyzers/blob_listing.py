"""Every blob reachable from a revision, worked out from the listing kept for
an ancestor when there is one.

Listing a long history (``git rev-list --objects`` and a size for each blob)
is the fixed cost of checking it for secrets: on a repository with 15,000
commits it takes longer than everything else a rescan of a new commit does.
Consecutive scans are nearly always of a commit and one of its descendants,
so the listings of the last few scanned revisions are kept in the cache, by
commit id (:mod:`archreview.kept`). For a
revision whose recent first-parent ancestor has a kept listing, the listing
is what ``git rev-list --objects REVISION ^ANCESTOR`` adds, newest first,
followed by the kept one: exactly the objects of a full listing, since every
object reachable from an ancestor is reachable from its descendant.

A blob keeps the path under which the ancestor's listing saw it first; a full
listing could name another path only for contents that are also in the newer
revision's own files, which the history pass leaves out anyway. Shallow
and partial clones are listed in full and not kept: fetching more history
changes what is reachable without changing the revision, and a kept listing
may name blobs a partial clone would fetch from its remote when read.
"""

from __future__ import annotations

from .. import kept as kept_for
from ..gitrepo import GitRepo

#: cache namespace; bump the number when the stored form changes
NAMESPACE = "blob-listing.1"

Listing = list[tuple[str, int, str]]


def reachable(repo: GitRepo, revision: str, cache=None, keep: bool = True) -> Listing:
    """``(blob id, size, path)`` of every blob reachable from ``revision``
    (a full commit id), each once, newest history first. ``keep``: use and
    add to the listings kept in ``cache`` (false for shallow clones)."""
    if cache is None or not keep:
        return list(repo.reachable_blobs(revision))
    found, stored = kept_for.load(repo, revision, cache, NAMESPACE)
    kept = _decode(stored)
    if kept is None:
        found, added = None, []
        listing = list(repo.reachable_blobs(revision))
    elif found.distance == 0:
        return kept
    else:
        added = list(repo.reachable_blobs(revision, exclude=[found.commit]))
        listing = added + kept
    if kept_for.worth_keeping(found, len(added)):
        kept_for.store(cache, NAMESPACE, revision, _encode(listing))
    return listing


def _encode(listing: Listing) -> dict[str, str]:
    # one line per blob in each column: rev-list's own output is line-based,
    # so no path in a listing contains a newline
    return {
        "oids": "\n".join(oid for oid, _size, _path in listing),
        "sizes": " ".join(str(size) for _oid, size, _path in listing),
        "paths": "\n".join(path for _oid, _size, path in listing),
    }


def _decode(stored) -> Listing | None:
    if not isinstance(stored, dict) or not all(isinstance(stored.get(k), str) for k in ("oids", "sizes", "paths")):
        return None
    if not stored["oids"]:
        return []
    oids, paths = stored["oids"].split("\n"), stored["paths"].split("\n")
    try:
        sizes = [int(size) for size in stored["sizes"].split(" ")]
    except ValueError:
        return None
    if not len(oids) == len(sizes) == len(paths):
        return None  # damaged: list again
    return list(zip(oids, sizes, paths))
