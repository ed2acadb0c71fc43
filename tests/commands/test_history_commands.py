"""``scan --save``, ``backfill`` and ``report --from``, end to end on a
repository with dated history."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from archreview import history
from archreview.cli import cli
from historyfixture import BOB, branchy, build


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def repo(git_repo):
    commits = build(git_repo)
    return git_repo, commits


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_backfill_fills_past_months(repo):
    git_repo, c = repo
    out = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "7")
    assert out.exit_code == 0, out.output
    folder = git_repo.path / ".archreview" / "history"
    assert sorted(p.name for p in folder.iterdir()) == [f"2025-0{m}.json" for m in range(1, 7)]
    assert "2024-12" in out.output and "no commits yet" in out.output
    stored = history.load(folder)
    assert stored.problems == []
    by_month = {e.month: e for e in stored.entries}
    # each month is the last commit on the branch's first-parent line before the month ends
    assert by_month["2025-01"].result.revision == c["jan-bob"]
    assert by_month["2025-02"].result.revision == c["feb-merge"]
    assert by_month["2025-06"].result.revision == c["jun-cara"]
    # the empty month is carried forward and marked so
    march = by_month["2025-03"]
    assert march.carried_forward and march.result.revision == c["feb-merge"]
    assert march.result.sections["delta"]["counts"]["new"] == 0
    assert [p["carried_forward"] for p in march.result.sections["delta"]["trend"]] == [False, False, True]
    assert "2025-03" in out.output and "carried forward" in out.output
    # the move in April keeps the finding open
    april = by_month["2025-04"].result.sections["delta"]
    assert april["renamed"] == [{"from": "app/util.py", "to": "app/helpers/util.py"}]
    assert not any(i["rule"].startswith("security.") for i in april["fixed"] + april["new"])
    # May fixes the shell call and brings a new complex function
    may = by_month["2025-05"].result.sections["delta"]
    assert any(i["rule"] == "security.B602" and i["path"] == "app/helpers/util.py" for i in may["fixed"])
    assert any(i["rule"] == "complexity.function" and i["path"] == "app/billing.py" for i in may["new"])
    assert [p["month"] for p in may["trend"]] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert by_month["2025-06"].result.sections["activity"]["reference_date"].startswith("2025-06-15")


def test_backfill_reads_the_history_once_while_the_files_are_analysed(repo, monkeypatch):
    import threading

    from archreview.analyzers import blob_listing
    from archreview.analyzers.activity import gitlog

    git_repo, _ = repo
    calls: list[tuple[str, str]] = []
    for module, name in ((gitlog, "_list"), (blob_listing, "reachable")):
        original = getattr(module, name)

        def spy(*args, original=original, name=name, **kwargs):
            calls.append((name, threading.current_thread().name))
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    out = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "7")
    assert out.exit_code == 0, out.output
    # the newest month's history, read beside the file analysis; the older
    # months and the newest month's own scan take theirs from the memos
    assert sorted(calls) == [("_list", "prepare-activity"), ("reachable", "prepare-secrets-history")]
    june = history.load(git_repo.path / ".archreview" / "history").get("2025-06").result
    assert june.sections["activity"]["commits"]["total"] > 0 and june.sections["secrets_history"]["status"] == "complete"


def test_backfill_ignores_a_dirty_work_tree(repo):
    git_repo, c = repo
    (git_repo.path / "app" / "billing.py").write_text(branchy("dirty", 30), encoding="utf-8")  # uncommitted
    (git_repo.path / "app" / "scratch.py").write_text(branchy("scratch", 30), encoding="utf-8")  # untracked
    git_repo.git("add", "app/scratch.py")  # staged, not committed
    out = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "1")
    assert out.exit_code == 0, out.output
    [entry] = history.load(git_repo.path / ".archreview" / "history").entries
    assert entry.result.revision == c["jun-cara"]
    assert {f.path for f in entry.result.files} >= {"app/billing.py"}
    assert "app/scratch.py" not in {f.path for f in entry.result.files}
    assert not any("dirty" in f.message or "scratch" in f.message for f in entry.result.findings)
    assert git_repo.git("status", "--porcelain").count("\n") >= 2  # the work tree was left alone


def test_backfill_keeps_stored_months_unless_forced(repo):
    git_repo, _c = repo
    run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "2")
    path = git_repo.path / ".archreview" / "history" / "2025-06.json"
    saved_at = _load(path)["history"]["saved_at"]
    again = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "2")
    assert again.exit_code == 0
    assert again.output.count("kept (already stored") == 2
    assert _load(path)["history"]["saved_at"] == saved_at
    path.write_text(path.read_text(encoding="utf-8").replace('"revision"', '"revisionX"', 1), encoding="utf-8")
    broken = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "2")
    assert "2025-06.json skipped" in broken.output and "not replaced" in broken.output
    forced = run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "2", "--force")
    assert forced.exit_code == 0 and forced.output.count("  scanned in ") == 2
    assert history.load(path.parent).problems == []


def test_backfill_refuses_a_shallow_clone(repo, tmp_path):
    git_repo, _c = repo
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.path}", str(shallow)], check=True)
    out = run("backfill", str(shallow))
    assert out.exit_code == 2
    assert "shallow clone" in out.output and "fetch-depth: 0" in out.output
    assert not (shallow / ".archreview").exists()


def test_backfill_of_a_bare_repository_needs_a_history_dir(repo, tmp_path):
    git_repo, _c = repo
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.path), str(bare)], check=True)
    refused = run("backfill", str(bare), "--until", "2025-06", "--months", "1")
    assert refused.exit_code == 2 and "--history-dir" in refused.output
    folder = tmp_path / "kept"
    ok = run("backfill", str(bare), "--until", "2025-06", "--months", "1", "--history-dir", str(folder))
    assert ok.exit_code == 0, ok.output
    assert (folder / "2025-06.json").exists()


def test_backfill_of_a_plain_folder_is_refused(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    out = run("backfill", str(tmp_path))
    assert out.exit_code == 2 and "not a git repository" in out.output


def test_scan_save_files_the_commit_month_and_adds_a_delta(repo, tmp_path):
    git_repo, c = repo
    run("backfill", str(git_repo.path), "--until", "2025-05", "--months", "2")
    out_file = tmp_path / "result.json"
    saved = run("scan", str(git_repo.path), "--save", "--format", "json", "-o", str(out_file))
    assert saved.exit_code == 0, saved.output
    result = _load(out_file)
    stored = git_repo.path / ".archreview" / "history" / "2025-06.json"  # HEAD's commit is from June
    assert stored.exists()
    assert result["delta"]["previous"]["month"] == "2025-05"
    assert result["delta"]["counts"]["new"] == len(result["delta"]["new"])
    assert history.load(stored.parent).get("2025-06").result.sections["delta"] == result["delta"]
    # a scan without --save still compares, because history exists
    plain = run("scan", str(git_repo.path), "--format", "json")
    assert json.loads(plain.output)["delta"]["previous"]["month"] == "2025-05"
    # the same month again replaces the file
    git_repo.commit({"app/api.py": "x = 1\n"}, date="2025-06-28", author=BOB)
    run("scan", str(git_repo.path), "--save", "--format", "json", "-o", str(out_file))
    assert _load(stored)["revision"] == git_repo.head()
    assert sorted(p.name for p in stored.parent.iterdir()) == ["2025-04.json", "2025-05.json", "2025-06.json"]


def test_scan_save_refusals(repo, tmp_path):
    git_repo, _c = repo
    worktree = run("scan", str(git_repo.path), "--save", "--worktree")
    assert worktree.exit_code == 2 and "--worktree" in worktree.output
    early = run("scan", str(git_repo.path), "--save", "--month", "2025-01", "--format", "json")
    assert early.exit_code == 2 and "cannot describe the earlier month 2025-01" in early.output
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x = 1\n", encoding="utf-8")
    refused = run("scan", str(plain), "--save")
    assert refused.exit_code == 2 and "--history-dir" in refused.output
    kept = run("scan", str(plain), "--save", "--history-dir", str(tmp_path / "h"), "--format", "json")
    assert kept.exit_code == 0, kept.output
    assert len(list((tmp_path / "h").glob("*.json"))) == 1


def test_corrupt_history_file_becomes_a_note(repo):
    git_repo, _c = repo
    run("backfill", str(git_repo.path), "--until", "2025-05", "--months", "2")
    (git_repo.path / ".archreview" / "history" / "2025-05.json").write_text("{ not json", encoding="utf-8")
    out = run("scan", str(git_repo.path), "--format", "json")
    assert out.exit_code == 0
    result = json.loads(out.output)
    assert any(n.startswith("history: 2025-05.json skipped: not valid JSON") for n in result["coverage"]["notes"])
    assert result["delta"]["previous"]["month"] == "2025-04"


def test_report_from_history_without_rescanning(repo, tmp_path, monkeypatch):
    git_repo, _c = repo
    run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "6")

    def no_scan(*args, **kwargs):
        raise AssertionError("report must not scan")

    monkeypatch.setattr("archreview.scan.run_scan", no_scan)
    folder = git_repo.path / ".archreview" / "history"
    md = run("report", "--from", str(folder))
    assert md.exit_code == 0, md.output
    assert "## 3. What changed since last month" in md.output
    assert "Since May 2025: 1 new problem, 1 fixed" in md.output  # from the delta
    assert '"Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025", "Jun 2025"' in md.output  # the debt chart
    js = run("report", "--from", str(folder), "--format", "json", "--month", "2025-05")
    result = json.loads(js.output)
    assert result["delta"]["previous"]["month"] == "2025-04"
    assert any(i["rule"] == "security.B602" for i in result["delta"]["fixed"])
    # a copy outside the repository still renders; renames cannot be followed there
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    away = json.loads(run("report", "--from", str(copy), "--format", "json", "--month", "2025-04").output)
    assert any("not followed" in n for n in away["delta"]["notes"])
    one = run("report", "--from", str(folder / "2025-02.json"), "--format", "json")
    assert json.loads(one.output)["delta"]["previous"]["month"] == "2025-01"


def test_report_refusals(repo, tmp_path):
    git_repo, _c = repo
    missing = run("report", "--from", str(tmp_path / "nothing"))
    assert missing.exit_code == 2 and "no such history" in missing.output
    (tmp_path / "empty").mkdir()
    empty = run("report", "--from", str(tmp_path / "empty"))
    assert empty.exit_code == 2 and "no readable month" in empty.output
    run("backfill", str(git_repo.path), "--until", "2025-06", "--months", "1")
    other = run("report", "--from", str(git_repo.path / ".archreview" / "history"), "--month", "2024-01")
    assert other.exit_code == 2 and "no stored result for 2024-01" in other.output
