"""Repository analyzers read git history in threads while the files are
analysed (``RepoAnalyzer.prepare``); the result is the one the analyzers give
when they read it themselves."""

from __future__ import annotations

import threading

from secretfakes import Fakes

from archreview.analyzers.activity import ActivityAnalyzer
from archreview.analyzers.base import RepoAnalyzer
from archreview.analyzers.secrets_history import SecretsHistoryAnalyzer
from archreview.config import parse_config
from archreview.scan import run_scan

F = Fakes(11)
AUTHORS = ("Ann <ann@example.com>", "Bob <bob@example.com>")


def build(git_repo):
    token = F.github_token()
    git_repo.commit(
        {"app/core.py": "def f(x):\n    return x\n", "deploy.py": f'TOKEN = "{token}"\n', "requirements.txt": "django==3.2.0\nrequests>=2\n"},
        date="2024-01-10",
        author=AUTHORS[0],
    )
    for month in range(2, 8):
        body = "".join(f"def f{n}(x):\n    if x > {n}:\n        return {n}\n    return x\n" for n in range(month))
        notes = f"release {month}\n"
        git_repo.commit({"app/core.py": body, "NOTES.txt": notes}, date=f"2024-{month:02d}-10", author=AUTHORS[month % 2])
    git_repo.commit({"deploy.py": None}, date="2024-08-01", author=AUTHORS[1])
    return token


def comparable(result) -> dict:
    document = result.to_dict()
    return {
        "findings": sorted((f["fingerprint"], f["rule"], f["path"], f["line"], f["message"]) for f in document["findings"]),
        "activity": document["activity"],
        "secrets_history": document["secrets_history"],
        "dependencies": document["dependencies"],
    }


def scan(path, cache_dir=None):
    result, _, _ = run_scan(
        path, config=parse_config({}, "test"), use_cache=cache_dir is not None, cache_dir=cache_dir, offline=True, jobs=1
    )
    return result


def test_history_is_read_once_in_a_thread_of_its_own(git_repo, monkeypatch):
    build(git_repo)
    calls: list[tuple[str, str]] = []
    for cls in (SecretsHistoryAnalyzer, ActivityAnalyzer):
        original = cls.prepare

        def spy(self, context, original=original):
            calls.append((self.name, threading.current_thread().name))
            return original(self, context)

        monkeypatch.setattr(cls, "prepare", spy)
    result = scan(git_repo.path)
    assert sorted(calls) == [("activity", "prepare-activity"), ("secrets-history", "prepare-secrets-history")]
    assert result.sections["activity"]["commits"]["total"] == 8
    assert [f.path for f in result.findings if f.extra.get("history")] == ["deploy.py"]


def test_the_result_is_the_same_as_when_each_analyzer_reads_history_itself(git_repo, monkeypatch, tmp_path):
    build(git_repo)
    ahead = comparable(scan(git_repo.path))
    ahead_cached = comparable(scan(git_repo.path, tmp_path / "cache"))
    monkeypatch.setattr(RepoAnalyzer, "prepares", classmethod(lambda cls: False))
    inline = comparable(scan(git_repo.path))
    assert ahead == inline == ahead_cached
    assert ahead["secrets_history"]["findings"] == 1 and ahead["activity"]["hotspots"]
    assert [row["name"] for row in ahead["dependencies"]] == ["django", "requests"]  # read ahead too


def test_what_the_thread_stored_in_the_cache_serves_the_next_scan(git_repo, tmp_path):
    build(git_repo)
    first = scan(git_repo.path, tmp_path / "cache")
    assert first.sections["secrets_history"]["from_cache"] == 0
    git_repo.commit({"README.md": "app\n"}, date="2024-09-01")
    second = scan(git_repo.path, tmp_path / "cache")
    # the old versions were scanned (and stored) by the first scan's thread,
    # and so were the commits' added lines: the new commit is the only one read
    assert second.sections["secrets_history"]["from_cache"] == second.sections["secrets_history"]["versions_total"] > 0
    assert second.sections["secrets_history"]["commits_checked"] == 9


def test_a_failing_history_step_is_reported_like_a_failing_analyzer(git_repo, monkeypatch):
    build(git_repo)

    def broken(self, context):
        raise RuntimeError("git log broke")

    monkeypatch.setattr(ActivityAnalyzer, "prepare", broken)
    result = scan(git_repo.path)
    assert "activity analysis failed: RuntimeError: git log broke" in result.coverage.notes
    assert "activity" not in result.sections
    assert result.sections["secrets_history"]["status"] == "complete"


def test_beside_a_pool_of_workers_the_history_gets_one_process(git_repo, monkeypatch, tmp_path):
    """The workers keep every CPU busy, so more history processes would only
    add memory; a scan with little to analyse lets the history use every job."""
    body = "".join(f"def f{n}(x):\n    return x + {n}\n" for n in range(1500))
    git_repo.commit({f"app/m{n}.py": f"# {n}\n{body}" for n in range(10)}, date="2024-01-10")
    jobs: list[int] = []
    original = SecretsHistoryAnalyzer.prepare

    def spy(self, context):
        jobs.append(context.options["jobs"])
        return original(self, context)

    monkeypatch.setattr(SecretsHistoryAnalyzer, "prepare", spy)
    first, stats, _ = run_scan(git_repo.path, config=parse_config({}, "test"), cache_dir=tmp_path / "c", offline=True, jobs=2)
    assert stats.workers == 2
    git_repo.commit({"app/m0.py": "x = 1\n"}, date="2024-02-10")
    second, stats, _ = run_scan(git_repo.path, config=parse_config({}, "test"), cache_dir=tmp_path / "c", offline=True, jobs=2)
    assert stats.workers == 0 and stats.files_analyzed == 1
    assert jobs == [1, 2]


def test_an_interrupted_scan_stops_the_history_steps_and_waits_for_them(git_repo, monkeypatch):
    """Ctrl-C (or a failure) in the file analysis: the steps are told to stop
    and have ended when the exception leaves the scan - a thread left running
    inside a native extension while the interpreter exits can abort it."""
    from archreview.analyzers.base import STOP
    from archreview.worker import FileProcessor

    build(git_repo)
    seen: dict[str, bool] = {}
    started = threading.Event()

    def waits_for_stop(self, context):
        started.set()
        seen[self.name] = context.options[STOP].wait(60)  # True once told to stop
        return None

    def interrupted(self, task):
        assert started.wait(60), "the history step did not start"
        raise KeyboardInterrupt

    monkeypatch.setattr(ActivityAnalyzer, "prepare", waits_for_stop)
    monkeypatch.setattr(FileProcessor, "process", interrupted)
    try:
        scan(git_repo.path)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interrupt was swallowed")
    assert seen == {"activity": True}
    assert not [t.name for t in threading.enumerate() if t.name.startswith("prepare-")]


def test_the_python_history_is_read_once_for_activity_and_secrets(git_repo, monkeypatch):
    """One ``git log -p`` pass serves both analyzers, whether the history is
    read ahead in threads or by each analyzer's run."""
    from archreview.analyzers.activity import gitlog

    build(git_repo)
    calls = []
    original = gitlog._read_chunk

    def counting(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(gitlog, "_read_chunk", counting)
    ahead = scan(git_repo.path)
    assert len(calls) == 1 and len(calls[0]) == 8  # 8 commits, one chunk, one reader
    monkeypatch.setattr(RepoAnalyzer, "prepares", classmethod(lambda cls: False))
    inline = scan(git_repo.path)
    assert len(calls) == 2
    assert comparable(ahead) == comparable(inline)
    assert [f.path for f in ahead.findings if f.extra.get("history")] == ["deploy.py"]


def test_the_workers_give_way_to_the_history_pass_only_when_one_runs(git_repo, monkeypatch, tmp_path):
    """A scan that reads history alongside its workers starts them at a lower
    priority (pool._lower_priority); one without repository analyzers
    (the pre-commit check) does not."""
    from archreview import pool as pool_module
    from archreview.scanoptions import ScanOptions

    body = "".join(f"def f{n}(x):\n    return x + {n}\n" for n in range(1500))
    git_repo.commit({f"app/m{n}.py": f"# {n}\n{body}" for n in range(10)}, date="2024-01-10")
    behind: list[bool] = []
    original = pool_module.WorkerPool.__init__

    def spy(self, *args, **kwargs):
        behind.append(kwargs.get("behind", False))
        original(self, *args, **kwargs)

    monkeypatch.setattr(pool_module.WorkerPool, "__init__", spy)
    run_scan(git_repo.path, config=parse_config({}, "test"), cache_dir=tmp_path / "a", offline=True, jobs=2)
    run_scan(
        git_repo.path, config=parse_config({}, "test"), cache_dir=tmp_path / "b", offline=True, jobs=2,
        options=ScanOptions(repo_analyzers=False),
    )
    assert behind == [True, False]
