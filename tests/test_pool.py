"""A worker that crashes, spins or hangs loses that file only, never the scan."""

from __future__ import annotations

import os
import sys
import time

import pytest

import archreview.analyzers as registry
from archreview.analyzers.base import FileAnalyzer
from archreview.pool import WorkerPool, make_chunks
from archreview.snapshot import open_snapshot
from archreview.worker import Task

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses fork to share the test analyzer")


class MisbehavingAnalyzer(FileAnalyzer):
    """Does what the file says: CRASH, SPIN (pure Python loop) or BLOCK
    (a wait that costs no CPU time, which the per-file CPU budget cannot see)."""

    name = "misbehave"
    version = "1"
    python_only = False

    def analyze(self, file, settings):
        text = file.text
        if "CRASH" in text:
            os._exit(3)
        if "SPIN" in text:
            while True:
                pass
        if "BLOCK" in text:
            time.sleep(600)  # uses no CPU time, so only the wall-clock limit stops it
        return {"metrics": {"chars": len(text), "nice": os.nice(0)}, "findings": []}


@pytest.fixture
def misbehave(monkeypatch):
    monkeypatch.setattr(registry, "FILE_ANALYZERS", (f"{__name__}:MisbehavingAnalyzer",))


def _tasks(repo_path):
    snapshot = open_snapshot(repo_path)
    tasks = [Task(ref, "source", "", ("misbehave",), False) for ref in snapshot.files]
    return snapshot, tasks


def _run(snapshot, tasks, **kwargs):
    pool = WorkerPool(
        2,
        snapshot.reader_spec,
        {"misbehave": {}},
        time_budget=kwargs.get("budget", 1.0),
        hard_timeout=kwargs.get("hard", 4.0),
        start_method="fork",
        behind=kwargs.get("behind", False),
    )
    chunks = [tasks[i : i + 3] for i in range(0, len(tasks), 3)]
    return {r.path: r for r in pool.run(chunks)}


def test_crash_loses_only_that_file(git_repo, misbehave):
    files = {f"f{i}.txt": f"ok {i}\n" for i in range(8)}
    files["f3.txt"] = "CRASH\n"
    git_repo.commit(files)
    snapshot, tasks = _tasks(git_repo.path)
    results = _run(snapshot, tasks)
    assert set(results) == set(files)
    assert results["f3.txt"].skip == "the analysis process stopped (exit code 3) while on this file"
    assert results["f3.txt"].cacheable is False
    for name in files.keys() - {"f3.txt"}:
        assert results[name].skip is None
        assert results[name].outputs["misbehave"]["metrics"]["chars"] > 0


def test_spinning_file_hits_the_time_budget(git_repo, misbehave):
    git_repo.commit({"a.txt": "ok\n", "b.txt": "SPIN\n", "c.txt": "ok too\n"})
    snapshot, tasks = _tasks(git_repo.path)
    results = _run(snapshot, tasks, budget=0.5)
    assert results["b.txt"].skip.startswith("took longer than the 0.5 s CPU time budget")
    assert results["a.txt"].skip is None and results["c.txt"].skip is None


def test_blocked_worker_is_killed_after_the_hard_limit(git_repo, misbehave):
    git_repo.commit({"a.txt": "ok\n", "b.txt": "BLOCK\n", "c.txt": "ok too\n", "d.txt": "fine\n"})
    snapshot, tasks = _tasks(git_repo.path)
    results = _run(snapshot, tasks, budget=0.5, hard=2.0)
    assert results["b.txt"].skip == "still running after 2 s; the analysis was stopped"
    assert all(results[n].skip is None for n in ("a.txt", "c.txt", "d.txt"))


def test_chunks_put_largest_files_first():
    from archreview.snapshot import FileRef

    tasks = [Task(FileRef(f"{i}.py", str(i), size, "100644"), "source", "", ("x",), True) for i, size in enumerate([10, 500_000, 300, 70_000])]
    chunks = make_chunks(tasks, max_bytes=100_000)
    assert [t.ref.path for t in chunks[0]] == ["1.py"]
    assert [t.ref.path for t in chunks[1]] == ["3.py", "2.py", "0.py"]


def test_workers_behind_a_history_pass_run_at_a_lower_priority(git_repo, misbehave):
    git_repo.commit({"a.txt": "ok\n", "b.txt": "ok too\n"})
    snapshot, tasks = _tasks(git_repo.path)
    own = os.nice(0)
    normal = _run(snapshot, tasks)
    behind = _run(snapshot, tasks, behind=True)
    assert {r.outputs["misbehave"]["metrics"]["nice"] for r in normal.values()} == {own}
    assert {r.outputs["misbehave"]["metrics"]["nice"] for r in behind.values()} == {min(own + 3, 19)}
    assert os.nice(0) == own  # the scan itself keeps its priority
