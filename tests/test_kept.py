"""Whole-history documents kept per commit: the blob listing of the secrets
history pass and the activity pass's changes, found again from a descendant,
equal to what a full reading gives."""

from __future__ import annotations

import subprocess

import pytest

from archreview import kept
from archreview.analyzers import blob_listing
from archreview.analyzers.activity import gitlog
from archreview.cache import Cache
from archreview.gitrepo import GitRepo
from gitfixture import GitFixture


def build(path):
    repo = GitFixture(path)
    repo.commit({"a.py": "x = 1\n", "docs/readme.md": "hi\n"}, date="2025-01-10")
    repo.commit({"a.py": "x = 2\n", "b.py": "y = 1\n"}, date="2025-02-10")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"side.py": "s = 1\n"}, date="2025-02-20")
    repo.commit({"side.py": "s = 2\n"}, date="2025-02-21")
    repo.git("checkout", "-q", "main")
    base = repo.commit({"a.py": "x = 3\n"}, date="2025-03-01")
    return repo, base


@pytest.fixture
def opened(tmp_path):
    """The repository of ``build``, its base commit, a reader and a cache."""
    repo, base = build(tmp_path / "repo")
    git, cache = GitRepo(repo.path), Cache(tmp_path / "cache")
    yield repo, base, git, cache
    cache.close()
    git.close()


def present(cache, namespace, keys) -> set[str]:
    """Revisions with a kept document (its marker and the document itself)."""
    marked = cache.kv_present(f"{namespace}.present", keys)
    return {key for key in keys if key in marked and cache.get_kv(namespace, key) is not None}


def head(repo: GitFixture) -> str:
    return repo.git("rev-parse", "HEAD").strip()


def test_listing_of_a_descendant_equals_a_full_listing_and_adds_only_the_new_objects(opened, monkeypatch):
    repo, base, git, cache = opened
    first = blob_listing.reachable(git, base, cache)
    assert first == list(git.reachable_blobs(base))
    repo.git("merge", "-q", "--no-ff", "side", "-m", "merge side", date="2025-03-05")
    repo.commit({"a.py": "x = 4\n", "b.py": None, "c.py": "z = 1\n"}, date="2025-03-10")
    new = head(repo)
    calls = []
    original = GitRepo.reachable_blobs

    def spy(self, rev, exclude=()):
        calls.append((rev, list(exclude)))
        return original(self, rev, exclude)

    monkeypatch.setattr(GitRepo, "reachable_blobs", spy)
    listing = blob_listing.reachable(git, new, cache)
    assert calls == [(new, [base])]  # only what is newer than the kept listing was listed
    full = list(original(git, new))
    assert sorted(listing) == sorted(full) and len(listing) == len(full)
    # a few commits and objects on top of the kept listing: not kept again, the next scan starts from base too
    assert present(cache, blob_listing.NAMESPACE, [new]) == set()
    monkeypatch.setattr(kept, "SMALL_CHANGE", 1)
    calls.clear()
    assert blob_listing.reachable(git, new, cache) == listing and calls == [(new, [base])]
    assert present(cache, blob_listing.NAMESPACE, [new]) == {new}  # enough new entries: kept
    calls.clear()
    assert blob_listing.reachable(git, new, cache) == listing and calls == []  # same commit: kept as is


def test_damaged_kept_listing_is_listed_again(opened):
    repo, base, git, cache = opened
    kept.store(cache, blob_listing.NAMESPACE, base, {"oids": "a\nb", "sizes": "1", "paths": "x\ny"})
    assert kept.nearest(git, base, cache, blob_listing.NAMESPACE) == kept.Found(base, 0)
    assert blob_listing.reachable(git, base, cache) == list(git.reachable_blobs(base))
    kept.store(cache, blob_listing.NAMESPACE, base, "not a listing")
    assert blob_listing.reachable(git, base, cache) == list(git.reachable_blobs(base))


def test_shallow_clone_listing_is_not_kept(opened):
    repo, base, git, cache = opened
    blob_listing.reachable(git, base, cache, keep=False)
    assert present(cache, blob_listing.NAMESPACE, [base]) == set()


def test_only_the_newest_documents_are_kept(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    try:
        monkeypatch.setattr(kept, "KEEP", 2)
        clock = iter(range(100, 200))
        monkeypatch.setattr("archreview.cache.time.time", lambda: next(clock))
        for name in ("one", "two", "three"):
            kept.store(cache, "ns", name, {"name": name})
        assert present(cache, "ns", ["one", "two", "three"]) == {"two", "three"}
    finally:
        cache.close()


def test_activity_changes_of_a_descendant_come_from_the_kept_document(opened):
    repo, base, git, cache = opened
    gitlog.file_changes(git, gitlog.list_commits(git, base), cache, jobs=1, revision=base)
    # the per-commit entries are gone: only the document kept for the revision can answer
    cache._db.execute("DELETE FROM kv WHERE namespace=?", (gitlog.NAMESPACE,))
    repo.git("merge", "-q", "--no-ff", "side", "-m", "merge side", date="2025-03-05")
    repo.commit({"a.py": "x = 5\n"}, date="2025-03-10")
    new = head(repo)
    commits = gitlog.list_commits(git, new)
    stats = gitlog.LogStats()
    changes = gitlog.file_changes(git, commits, cache, jobs=1, stats=stats, revision=new)
    assert stats.parsed == 3  # the two side-branch commits and the last one; the merge has none
    assert stats.from_cache == 3  # the three commits up to the kept revision
    assert changes == gitlog.file_changes(git, commits, None, jobs=1)
    assert present(cache, gitlog.BUNDLE_NAMESPACE, [base, new]) == {base}  # three new commits: base is enough


def test_kept_documents_are_found_from_another_clone(tmp_path):
    repo, base = build(tmp_path / "repo")
    cache = Cache(tmp_path / "cache")
    git = GitRepo(repo.path)
    try:
        blob_listing.reachable(git, base, cache)
    finally:
        git.close()
    clone = tmp_path / "clone.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(clone)], check=True)
    other = GitRepo(clone)
    try:
        assert kept.nearest(other, base, cache, blob_listing.NAMESPACE) == kept.Found(base, 0)
    finally:
        cache.close()
        other.close()


def test_a_revision_keeps_its_own_document_when_far_from_the_kept_one():
    assert kept.worth_keeping(None, 0)
    assert not kept.worth_keeping(kept.Found("c", 0), 5000)  # it is the kept one
    assert not kept.worth_keeping(kept.Found("c", 3), 10)
    assert kept.worth_keeping(kept.Found("c", 3), kept.SMALL_CHANGE)
    assert kept.worth_keeping(kept.Found("c", kept.ANCESTORS // 4), 10)


def test_scan_of_a_new_commit_from_kept_history_equals_a_scan_without_cache(git_repo, tmp_path, monkeypatch):
    from historyfixture import CARA
    from historyfixture import build as build_history
    from secretfakes import Fakes

    from archreview.scan import run_scan

    build_history(git_repo)
    token = Fakes(7).github_token()
    git_repo.commit({"app/deploy.py": f'GITHUB_TOKEN = "{token}"\n'}, date="2025-06-20", author=CARA)
    git_repo.commit({"app/deploy.py": None}, date="2025-06-21", author=CARA)
    cache = tmp_path / "cache"
    run_scan(git_repo.path, cache_dir=cache)
    monkeypatch.setattr(kept, "SMALL_CHANGE", 0)  # keep every document, so the chain of kept ones is used too
    git_repo.commit({"app/api.py": "def api():\n    return 2\n"}, date="2025-06-25", author=CARA)
    run_scan(git_repo.path, cache_dir=cache)
    git_repo.commit({"app/new.py": "x = 1\n", "app/deploy.py": f'TOKEN = "{token}"\n'}, date="2025-06-26")
    git_repo.commit({"app/deploy.py": None}, date="2025-06-27")
    calls = []
    original = GitRepo.reachable_blobs
    monkeypatch.setattr(GitRepo, "reachable_blobs", lambda self, rev, exclude=(): calls.append(list(exclude)) or original(self, rev, exclude))
    warm, _s, _c = run_scan(git_repo.path, cache_dir=cache)
    assert len(calls) == 1 and len(calls[0]) == 1  # listed from the previous scan's kept listing
    cold, _s, _c = run_scan(git_repo.path, use_cache=False)
    assert warm.sections["activity"] == cold.sections["activity"]
    history = lambda r: sorted((f.rule, f.path, f.line, f.message) for f in r.findings if f.extra.get("history"))  # noqa: E731
    assert history(warm) == history(cold) and len(history(cold)) == 2
    for key in ("versions_total", "too_large", "findings"):
        assert warm.sections["secrets_history"][key] == cold.sections["secrets_history"][key]


def test_partial_clone_history_listing_is_not_kept(git_repo, tmp_path):
    from archreview.scan import run_scan

    git_repo.commit({"a.py": "x = 1\n", "notes.txt": "one\n"}, date="2025-01-10")
    git_repo.commit({"a.py": "x = 2\n", "notes.txt": "two\n"}, date="2025-02-10")
    git_repo.git("config", "core.repositoryformatversion", "1")
    git_repo.git("config", "extensions.partialclone", "origin")
    cache = tmp_path / "cache"
    result, _s, _c = run_scan(git_repo.path, cache_dir=cache)
    assert result.sections["secrets_history"]["versions_total"] == 1
    store = Cache(cache)
    try:
        assert present(store, blob_listing.NAMESPACE, [head(git_repo)]) == set()
    finally:
        store.close()
