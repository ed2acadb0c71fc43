"""A scan of a revision already scanned with the same inputs reuses the kept
result; anything that could change the result makes it scan again."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

from archreview import resultmemo
from archreview.config import parse_config
from archreview.engine import Engine, ScanOptions
from archreview.scan import run_scan

CODE = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


@pytest.fixture
def engine_runs(monkeypatch):
    """How many times the engine really scanned."""
    runs = []
    original = Engine.scan

    def counting(self, snapshot):
        runs.append(snapshot.revision)
        return original(self, snapshot)

    monkeypatch.setattr(Engine, "scan", counting)
    return runs


def scan(path, cache, **kwargs):
    kwargs.setdefault("offline", True)
    result, stats, _ = run_scan(path, cache_dir=cache, jobs=1, **kwargs)
    return result, stats


def comparable(result):
    data = result.to_dict()
    data.pop("scanned_at")
    return data


def test_the_same_revision_again_reuses_the_result(git_repo, tmp_path, engine_runs):
    git_repo.commit({"app.py": CODE, "README.md": "app\n"}, date="2025-01-10")
    first, _ = scan(git_repo.path, tmp_path / "cache")
    second, stats = scan(git_repo.path, tmp_path / "cache")
    assert len(engine_runs) == 1 and stats.reused
    assert comparable(second) == comparable(first)
    assert any(f.rule.startswith("security.") for f in second.findings)
    assert second.sections["scores"] == first.sections["scores"]  # scored again from the kept result
    assert second.scanned_at >= first.scanned_at


def test_a_new_commit_a_changed_setting_or_no_cache_scans_again(git_repo, tmp_path, engine_runs):
    git_repo.commit({"app.py": CODE}, date="2025-01-10")
    cache = tmp_path / "cache"
    scan(git_repo.path, cache)
    git_repo.commit({"other.py": "x = 1\n"}, date="2025-01-11")
    scan(git_repo.path, cache)
    config = parse_config({"exclude": ["other.py"]}, "test")
    scan(git_repo.path, cache, config=config)
    scan(git_repo.path, cache, use_cache=False)
    assert len(engine_runs) == 4
    named, _ = scan(git_repo.path, cache, rev=git_repo.git("rev-parse", "HEAD").strip())
    assert len(engine_runs) == 5 and named.repository["ref"] != "HEAD"  # the revision as it was named
    scan(git_repo.path, cache, config=parse_config({"exclude": ["other.py"]}, "test"))
    assert len(engine_runs) == 5  # the same setting again


def test_a_new_tag_scans_again(git_repo, tmp_path, engine_runs):
    # whether releases are signed is read from the tags, which a commit id does not fix
    git_repo.commit({"app.py": CODE}, date="2025-01-10")
    cache = tmp_path / "cache"
    scan(git_repo.path, cache)
    git_repo.git("tag", "-a", "v1.0", "-m", "release")
    tagged, _ = scan(git_repo.path, cache)
    assert len(engine_runs) == 2 and "practices.unsigned-tags" in {f.rule for f in tagged.findings}
    scan(git_repo.path, cache)
    assert len(engine_runs) == 2


def test_the_work_tree_and_a_repository_pack_edited_in_it_are_never_taken_from_the_memo(git_repo, tmp_path, engine_runs):
    pack = "# the team's own rules\n"
    git_repo.commit({"app.py": CODE, "ops/checks.toml": pack, "pyproject.toml": '[tool.archreview]\nrule_packs = ["ops/checks.toml"]\n'}, date="2025-01-10")
    cache = tmp_path / "cache"
    scan(git_repo.path, cache)
    scan(git_repo.path, cache, worktree=True)
    scan(git_repo.path, cache, worktree=True)
    assert len(engine_runs) == 3
    (git_repo.path / "ops" / "checks.toml").write_text(pack + "# edited\n")
    scan(git_repo.path, cache)  # the revision's pack text is read from the work tree
    assert len(engine_runs) == 4


def test_an_incomplete_result_is_not_kept(git_repo, tmp_path, engine_runs):
    git_repo.commit({"app.py": CODE, "old.cfg": "x = 1\n"}, date="2025-01-10")
    git_repo.commit({"old.cfg": None}, date="2025-01-11")
    config = parse_config({"secrets": {"history_seconds": 0}}, "test")
    first, stats = scan(git_repo.path, tmp_path / "cache", config=config)
    assert first.sections["secrets_history"]["status"] == "partial"
    assert any("secrets-history" in why for why in stats.incomplete)
    scan(git_repo.path, tmp_path / "cache", config=config)
    assert len(engine_runs) == 2


def test_a_result_with_missing_objects_is_reused_only_while_the_objects_stay_the_same(git_repo, tmp_path, engine_runs):
    git_repo.commit({"a.py": CODE, "lost.py": "x = 'this blob will be deleted'\n"}, date="2025-01-10")
    oid = git_repo.git("rev-parse", "HEAD:lost.py").strip()
    obj = git_repo.path / ".git" / "objects" / oid[:2] / oid[2:]
    os.chmod(obj, 0o644)
    obj.unlink()
    cache = tmp_path / "cache"
    scan(git_repo.path, cache)
    scan(git_repo.path, cache)
    assert len(engine_runs) == 1
    git_repo.git("hash-object", "-w", "--stdin", input=b"x = 'this blob will be deleted'\n")  # the object is back
    again, _ = scan(git_repo.path, cache)
    assert len(engine_runs) == 2
    assert "lost.py" in {f.path for f in again.files}


def test_the_key_follows_the_network_inputs(git_repo, monkeypatch, tmp_path):
    git_repo.commit({"app.py": CODE}, date="2025-01-10")
    from archreview.scan import config_for
    from archreview.snapshot import open_snapshot

    snapshot = open_snapshot(git_repo.path)
    config = config_for(snapshot)
    offline = resultmemo.memo_key(snapshot, config, ScanOptions(offline=True))
    online = resultmemo.memo_key(snapshot, config, ScanOptions())
    assert offline and online and offline != online
    monkeypatch.setenv("PIP_INDEX_URL", "https://pypi.internal.example/simple")
    assert resultmemo.memo_key(snapshot, config, ScanOptions()) != online
    assert resultmemo.memo_key(snapshot, config, ScanOptions(offline=True)) == offline
    later = datetime(2031, 5, 1, tzinfo=timezone.utc)
    assert resultmemo.memo_key(snapshot, config, ScanOptions(offline=True, now=later)) != offline
    assert resultmemo.memo_key(snapshot, config, ScanOptions(offline=True, paths=frozenset({"app.py"}))) is None
    assert resultmemo.memo_key(snapshot, config, ScanOptions(offline=True, repo_analyzers=False)) is None
    assert resultmemo.memo_key(snapshot, config, ScanOptions(offline=True, reuse_result=False)) is None


def test_a_kept_result_is_answered_without_loading_the_engine_or_analyzers(git_repo, tmp_path):
    """A warm rescan costs interpreter start, imports and one lookup: the
    engine, the analyzers and the dependencies package are not imported."""
    import subprocess
    import sys

    git_repo.commit({"app.py": CODE, "requirements.txt": "django==3.2.0\n"}, date="2025-01-10")
    db = tmp_path / "advisories"
    (db / "vulns" / "django").mkdir(parents=True)
    (db / "vulns" / "django" / "PYSEC-0000-1.yaml").write_text("id: PYSEC-0000-1\naffected: []\n")
    program = (
        "import sys\n"
        "from archreview.scan import run_scan\n"
        f"result, stats, _ = run_scan({str(git_repo.path)!r}, cache_dir={str(tmp_path / 'cache')!r}, jobs=1, offline=True, advisory_db={str(db)!r})\n"
        "loaded = sorted(m for m in ('archreview.engine', 'archreview.analyzers.dependencies', 'bandit', 'radon') if m in sys.modules)\n"
        "print(stats.reused, loaded)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)]
    assert runs[0].startswith("False") and "archreview.engine" in runs[0]
    assert runs[1] == "True []"
