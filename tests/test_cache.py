"""An unchanged blob is analysed once, in any scan of any repository or revision."""

from __future__ import annotations

from archreview.analyzers import file_analyzer_classes
from archreview.engine import ScanOptions
from archreview.scan import run_scan

A = "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
B = "def f(x):\n    if x:\n        return 1\n    return 2\n"


def _scan(path, cache, **kw):
    result, stats, _ = run_scan(path, jobs=1, cache_dir=cache, **kw)
    return result, stats


def test_warm_scan_analyses_nothing_and_gives_the_same_result(git_repo, tmp_path):
    cache = tmp_path / "cache"
    git_repo.commit({"a.py": A, "b.py": B, "c.py": B + "\n# copy\n"}, date="2025-01-10")
    cold, cold_stats = _scan(git_repo.path, cache)
    assert cold_stats.files_analyzed == 3 and cold_stats.cache_hits == 0
    warm, warm_stats = _scan(git_repo.path, cache, options=ScanOptions(reuse_result=False))  # not the kept result
    assert warm_stats.files_analyzed == 0
    assert warm_stats.cache_hits == 3 * len(file_analyzer_classes())  # every analyzer x three blobs
    assert [f.to_dict() for f in warm.findings] == [f.to_dict() for f in cold.findings]
    assert [f.to_dict() for f in warm.files] == [f.to_dict() for f in cold.files]


def test_one_changed_file_is_the_only_work(git_repo, tmp_path):
    cache = tmp_path / "cache"
    git_repo.commit({"a.py": A, "b.py": B}, date="2025-01-10")
    _scan(git_repo.path, cache)
    git_repo.commit({"b.py": B + "\ndef g():\n    return 0\n"}, date="2025-02-10")
    _, stats = _scan(git_repo.path, cache)
    assert stats.files_analyzed == 1


def test_blob_cache_is_shared_across_repositories_and_revisions(git_repo, tmp_path):
    from gitfixture import GitFixture

    cache = tmp_path / "cache"
    first = git_repo.commit({"a.py": A}, date="2025-01-10")
    git_repo.commit({"b.py": B}, date="2025-02-10")
    _scan(git_repo.path, cache, rev=first)
    _, stats = _scan(git_repo.path, cache)
    assert stats.files_analyzed == 1  # only b.py is new
    other = GitFixture(tmp_path / "other")
    other.commit({"lib/copy_of_a.py": A}, date="2025-03-01")
    result, stats = _scan(other.path, cache)
    assert stats.files_analyzed == 0
    assert {f.path for f in result.findings if f.area not in ("readiness", "activity")} == {"lib/copy_of_a.py"}


def test_settings_change_reanalyses_only_that_analyzer(git_repo, tmp_path):
    cache = tmp_path / "cache"
    git_repo.commit({"a.py": A}, date="2025-01-10")
    before, _ = _scan(git_repo.path, cache)
    assert any(f.rule == "security.B602" for f in before.findings)
    (git_repo.path / ".archreview.toml").write_text('[security]\nskip = ["B602"]\n')
    after, stats = _scan(git_repo.path, cache)
    # every other analyzer from cache
    assert stats.files_analyzed == 1 and stats.cache_hits == len(file_analyzer_classes()) - 1
    assert not any(f.rule == "security.B602" for f in after.findings)


def test_no_cache_reads_and_writes_nothing(git_repo, tmp_path):
    cache = tmp_path / "cache"
    git_repo.commit({"a.py": A}, date="2025-01-10")
    result, stats, _ = run_scan(git_repo.path, jobs=1, cache_dir=cache, use_cache=False)
    assert stats.files_analyzed == 1
    assert not (cache / "cache.sqlite3").exists()


def test_unusable_cache_is_a_note_not_a_failure(git_repo, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    git_repo.commit({"a.py": A}, date="2025-01-10")
    result, _, _ = run_scan(git_repo.path, jobs=1, cache_dir=blocker / "cache")
    assert any("scanned without it" in note for note in result.coverage.notes)
    assert result.files


def test_same_blob_in_a_test_folder_is_analysed_for_its_role(git_repo, tmp_path):
    """A file moved into tests/ keeps its blob id; its output depends on the
    role (no product findings for test code), so the cache must not hand it
    the output computed for the source path."""
    cache = tmp_path / "cache"
    complex_fn = "def f(a, b, c):\n" + "".join(f"    if a == {i} or b:\n        return {i}\n" for i in range(8)) + "    return c\n"
    git_repo.commit({"app/logic.py": complex_fn}, date="2025-01-10")
    before, _ = _scan(git_repo.path, cache)
    assert any(f.rule == "complexity.function" for f in before.findings)
    git_repo.rename("app/logic.py", "tests/logic.py", date="2025-02-10")
    after, _ = _scan(git_repo.path, cache)
    assert not any(f.rule == "complexity.function" for f in after.findings)
