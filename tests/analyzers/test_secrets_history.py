"""Secrets removed from the code but still in git history."""

from __future__ import annotations

import subprocess
import sys

from gitfixture import git_env
from secretfakes import Fakes

from archreview.analyzers import secrets as secrets_module
from archreview.analyzers.secrets_added import AddedSecrets
from archreview.analyzers.secrets_history import SECTION
from archreview.config import parse_config
from archreview.gitrepo import GitRepo
from archreview.scan import run_scan

F = Fakes(5)


def scan(path, section=None, **kwargs):
    config = parse_config({"secrets": section or {}}, "test")
    result, _, _ = run_scan(path, config=config, **kwargs)
    return result


def history(result):
    return [f for f in result.findings if f.area == "secrets" and f.extra.get("history")]


def seen_in(finding) -> int:
    """In how many commits (a Python file) or old versions (any other file) the secret was found."""
    return finding.extra.get("commits", finding.extra.get("versions"))


def build(git_repo):
    """Python files (checked through the lines each commit added) and a shell
    script (checked through its old versions, read whole)."""
    token, password, script_token = F.github_token(), F.password(), F.github_token()
    added = git_repo.commit(
        {"README.md": "app\n", "deploy.py": f'GITHUB_TOKEN = "{token}"\n', "scripts/release.sh": f'export GH_TOKEN="{script_token}"\n'},
        date="2024-03-01",
    )
    git_repo.commit({"deploy.py": f'GITHUB_TOKEN = "{token}"\nREGION = "eu"\n'}, date="2024-03-05")
    git_repo.commit({"deploy.py": None, "scripts/release.sh": None}, date="2024-04-01", message="remove deploy scripts")
    git_repo.commit({"settings.py": f'DB_PASSWORD = "{password}"\n'}, date="2024-05-01")
    git_repo.commit({"settings.py": 'import os\nDB_PASSWORD = os.environ["DB_PASSWORD"]\n'}, date="2024-06-01")
    return token, password, added


def test_deleted_and_edited_out_secrets_are_found_with_their_commit(git_repo):
    token, password, added = build(git_repo)
    result = scan(git_repo.path)
    found = sorted((f.rule, f.path, f.line, seen_in(f)) for f in history(result))
    assert found == [
        ("secrets.github-token", "deploy.py", 1, 1),
        ("secrets.github-token", "scripts/release.sh", 1, 1),
        ("secrets.secret-assignment", "settings.py", 1, 1),
    ]
    for path in ("deploy.py", "scripts/release.sh"):
        github = next(f for f in history(result) if f.path == path)
        assert github.extra["commit"] == added
        assert f"added in commit {added[:12]} on 2024-03-01" in github.message
        assert github.severity == "critical" and github.basis.startswith("history|") and github.fingerprint
    github = next(f for f in history(result) if f.path == "deploy.py")
    assert github.message.startswith("GitHub token ghp_**************** assigned to GITHUB_TOKEN - removed from the code but still in git history")
    assert github.extra["commit_date"].startswith("2024-03-01")
    for finding in history(result):
        assert token not in str(finding.to_dict()) and password not in str(finding.to_dict())
    section = result.sections[SECTION]
    assert section["status"] == "complete"
    # the shell script's one old version read whole; the Python files through the 5 commits' added lines
    assert section["versions_total"] == 1 and section["commits_checked"] == 5
    # "complete" is the scanned revision's history, and the coverage says so
    assert "git history: secrets were looked for in the history of the scanned revision only, not on other branches" in result.coverage.notes


def test_a_python_secret_is_reported_where_the_commit_that_added_it_put_it(git_repo):
    """Added lines are read per hunk: the line is the one in the version the
    commit wrote, and the commit is the oldest that added the secret (a later
    commit that only moves other lines around it does not count)."""
    token = F.github_token()
    body = [f"x{i} = {i}" for i in range(1, 11)]
    git_repo.commit({"app/config.py": "\n".join(body) + "\n"}, date="2024-01-10")
    changed = list(body)
    changed[1] = "x2 = 'two'"
    changed.insert(7, f'API_TOKEN = "{token}"')
    adding = git_repo.commit({"app/config.py": "\n".join(changed) + "\n"}, date="2024-02-10")
    git_repo.commit({"app/config.py": "\n".join(["import os", *changed]) + "\n"}, date="2024-03-10")
    git_repo.commit({"app/config.py": "\n".join(body) + "\n"}, date="2024-04-10")
    [finding] = history(scan(git_repo.path))
    assert (finding.path, finding.line, finding.extra["commit"], seen_in(finding)) == ("app/config.py", 8, adding, 1)


def test_a_secret_in_a_renamed_file_is_still_in_the_code(git_repo):
    token = F.github_token()
    git_repo.commit({"old/deploy.py": f'GITHUB_TOKEN = "{token}"\n', "old/ci.sh": f'export GH_TOKEN="{token}"\n'}, date="2024-03-01")
    git_repo.rename("old/deploy.py", "new/deploy.py", date="2024-03-02")
    git_repo.rename("old/ci.sh", "new/ci.sh", date="2024-03-03")
    result = scan(git_repo.path)
    assert history(result) == []
    assert sorted(f.path for f in result.findings if f.area == "secrets") == ["new/ci.sh", "new/deploy.py"]


def test_a_secret_still_in_the_code_is_not_reported_again(git_repo):
    token = F.github_token()
    git_repo.commit({"deploy.py": f'GITHUB_TOKEN = "{token}"\n'}, date="2024-03-01")
    git_repo.commit({"deploy.py": f'GITHUB_TOKEN = "{token}"\nREGION = "eu"\n'}, date="2024-03-05")
    result = scan(git_repo.path)
    assert history(result) == []
    assert [f.rule for f in result.findings if f.area == "secrets"] == ["secrets.github-token"]


def test_second_scan_reads_the_cache_not_git(git_repo, tmp_path, monkeypatch):
    build(git_repo)
    cache = tmp_path / "cache"
    first = scan(git_repo.path, cache_dir=cache)

    def refuse(*args, **kwargs):
        raise AssertionError("history was listed again")

    monkeypatch.setattr(GitRepo, "reachable_blobs", refuse)
    second = scan(git_repo.path, cache_dir=cache)
    assert [f.to_dict() for f in history(second)] == [f.to_dict() for f in history(first)]
    assert second.sections[SECTION]["status"] == "complete"


def test_next_revision_scans_only_new_versions(git_repo, tmp_path, monkeypatch):
    build(git_repo)
    cache = tmp_path / "cache"
    scan(git_repo.path, cache_dir=cache)
    git_repo.commit({"notes.txt": "nothing secret\n", "app.py": "print('hi')\n"}, date="2024-07-01")
    # settings.py changes too: the version the first scan read becomes history,
    # and comes from that scan's cache entry
    git_repo.commit({"notes.txt": "still nothing\n", "app.py": "print('hello')\n", "settings.py": "import os\n"}, date="2024-07-02")
    seen = []
    original = secrets_module.SecretsAnalyzer.analyze

    def counting(self, file, settings):
        seen.append(file.path)
        return original(self, file, settings)

    monkeypatch.setattr(secrets_module.SecretsAnalyzer, "analyze", counting)
    scan_added = AddedSecrets.scan

    def counting_added(self, path, hunks):
        seen.append(path)
        return scan_added(self, path, hunks)

    monkeypatch.setattr(AddedSecrets, "scan", counting_added)
    result = scan(git_repo.path, cache_dir=cache)
    assert len(history(result)) == 3
    section = result.sections[SECTION]
    assert section["versions_total"] == 2 and section["from_cache"] == 1 and section["commits_checked"] == 7
    # the new old version of notes.txt and its snapshot version; the
    # snapshot's changed Python files; app.py's added lines in the last
    # commit, whose patch names a keyword (the PASSWORD line it deletes from
    # settings.py, which adds nothing) - not in the first new commit, whose
    # patch names none; nothing from the commits the first scan read
    assert seen.count("notes.txt") == 2 and seen.count("app.py") == 2 and seen.count("settings.py") == 1
    assert "deploy.py" not in seen and "scripts/release.sh" not in seen


def test_time_budget_leaves_a_partial_result_that_later_scans_finish(git_repo, tmp_path):
    build(git_repo)
    cache = tmp_path / "cache"
    partial = scan(git_repo.path, {"history_seconds": 0}, cache_dir=cache)
    assert partial.sections[SECTION]["status"] == "partial"
    assert any("later scans check the rest" in n for n in partial.coverage.notes)
    full = scan(git_repo.path, cache_dir=cache)
    assert full.sections[SECTION]["status"] == "complete" and len(history(full)) == 3


def test_history_off_plain_folder_and_staged_checks_say_so(git_repo, tmp_path):
    build(git_repo)
    off = scan(git_repo.path, {"history": False})
    assert history(off) == [] and off.sections[SECTION]["status"] == "off"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "app.py").write_text("x = 1\n")
    plain = scan(folder)
    assert plain.sections[SECTION]["status"] == "skipped"
    assert any("not a git repository" in n and "secrets" in n for n in plain.coverage.notes)


def test_shallow_clone_is_checked_as_far_as_it_reaches(git_repo, tmp_path):
    build(git_repo)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone)], check=True, env=git_env(), capture_output=True
    )
    result = scan(clone)
    assert result.sections[SECTION]["status"] == "partial"
    assert any("shallow clone" in n for n in result.coverage.notes)
    # the edited-out password is within the last two commits; the deleted token is not
    assert [f.path for f in history(result)] == ["settings.py"]


def test_without_cache_history_still_works(git_repo):
    build(git_repo)
    result = scan(git_repo.path, use_cache=False)
    assert len(history(result)) == 3


def test_older_revisions_reuse_a_newer_pass_and_agree_with_a_fresh_one(git_repo, tmp_path):
    """Backfill scans newest first with one memo: an older revision's blobs
    come from the newer listing minus what came later, its outputs from the
    memo; the findings must equal a scan of that revision on its own."""
    from archreview.analyzers.secrets_history import MEMO_OPTION, HistoryMemo
    from archreview.engine import ScanOptions

    build(git_repo)
    revisions = git_repo.git("rev-list", "--first-parent", "HEAD").split()
    memo = HistoryMemo()
    with_memo = {}
    for revision in revisions:  # newest first
        result = scan(git_repo.path, rev=revision, cache_dir=tmp_path / "memo-cache", options=ScanOptions(extra={MEMO_OPTION: memo}))
        with_memo[revision] = sorted((f.rule, f.path, f.line, seen_in(f)) for f in history(result))
    assert memo.listing and memo.revision == revisions[0]
    for revision in revisions:
        fresh = scan(git_repo.path, rev=revision, cache_dir=tmp_path / f"fresh-{revision[:8]}")
        assert with_memo[revision] == sorted((f.rule, f.path, f.line, seen_in(f)) for f in history(fresh)), revision
    assert with_memo[revisions[0]] and with_memo[revisions[2]] == [
        ("secrets.github-token", "deploy.py", 1, 1),
        ("secrets.github-token", "scripts/release.sh", 1, 1),
    ]


def test_many_old_versions_are_split_between_processes_with_the_same_findings(git_repo, tmp_path, monkeypatch):
    from archreview.analyzers import secrets_history

    build(git_repo)
    for day in range(1, 9):
        git_repo.commit({"notes.txt": f"release notes {day}\n", "app.py": f"VERSION = {day}\n"}, date=f"2024-07-{day:02d}")
    alone = scan(git_repo.path, jobs=1, use_cache=False)
    monkeypatch.setattr(secrets_history, "PARALLEL_MIN", 4)
    from archreview import pool as pool_module

    pools = []
    real_context = pool_module.process_context

    def spying():
        context = real_context()
        pools.append(context.get_start_method())
        return context

    monkeypatch.setattr(pool_module, "process_context", spying)
    shared = scan(git_repo.path, jobs=2, use_cache=False)
    # few files, no worker pool: the versions were split between two processes
    assert pools == ["forkserver" if sys.platform != "win32" else "spawn"]
    assert [f.to_dict() for f in history(shared)] == [f.to_dict() for f in history(alone)]
    assert len(history(shared)) == 3
    section = shared.sections[SECTION]
    # scripts/release.sh and 7 old versions of notes.txt (app.py: through its commits)
    assert section["status"] == "complete" and section["versions_checked"] == section["versions_total"] == 8


def test_beside_a_worker_pool_the_time_limit_counts_from_when_the_files_are_done(git_repo):
    from archreview.analyzers.base import FilesDone
    from archreview.analyzers.secrets_history import Limits, Share, Version, scan_share

    build(git_repo)
    repo = GitRepo(git_repo.path)
    try:
        listing = repo.run("rev-list", "--objects", "--all").stdout.decode().split("\n")
        blobs = [line.split(" ", 1) for line in listing if " " in line]
        versions = [Version(oid, 100, path, "source", "k") for oid, path in blobs if path.endswith(".py")]
    finally:
        repo.close()
    analyzer = secrets_module.SecretsAnalyzer()
    settings = analyzer.settings(parse_config({}, "test"))
    assert len(versions) >= 3
    running = FilesDone()  # the pool is still analysing files: the limit has not started
    share = scan_share(str(git_repo.path), Share(list(versions)), settings, Limits(0.0, files_done=running))
    assert share.scanned == len(versions)
    running.mark()  # the files are done: a limit of 0 s is over at once
    share = scan_share(str(git_repo.path), Share(list(versions)), settings, Limits(0.0, files_done=running))
    assert share.scanned == 0


def test_a_stopped_scan_reads_no_more_old_versions(git_repo):
    import threading

    from archreview.analyzers.secrets_history import Limits, Share, Version, scan_share

    build(git_repo)
    repo = GitRepo(git_repo.path)
    try:
        listing = repo.run("rev-list", "--objects", "--all").stdout.decode().split("\n")
        versions = [Version(*line.split(" ", 1)[:1], 100, line.split(" ", 1)[1], "source", "k") for line in listing if line.endswith(".py")]
    finally:
        repo.close()
    analyzer = secrets_module.SecretsAnalyzer()
    settings = analyzer.settings(parse_config({}, "test"))
    stop = threading.Event()
    assert scan_share(str(git_repo.path), Share(list(versions)), settings, Limits(60.0, stop=stop)).scanned == len(versions)
    stop.set()
    assert scan_share(str(git_repo.path), Share(list(versions)), settings, Limits(60.0, stop=stop)).scanned == 0


def test_old_versions_too_large_to_read_are_named_in_the_coverage_notes(git_repo):
    token = F.github_token()
    big = "x = 1\n" * 400 + f'GITHUB_TOKEN = "{token}"\n'
    git_repo.commit({"app.py": "x = 1\n", "data.cfg": big, "data.py": big}, date="2024-03-01")
    git_repo.commit({"data.cfg": None, "data.py": None}, date="2024-04-01")
    result = scan(git_repo.path, {"history_max_file_size": 1024})
    assert result.sections[SECTION]["too_large"] == 1
    # data.cfg was not read, so not found, and the report says so; the
    # Python file's lines were read from the commit that added them
    assert [f.path for f in history(result)] == ["data.py"]
    assert (
        "git history: 1 old file version larger than 1 KiB not checked for secrets (secrets.history_max_file_size)"
        in result.coverage.notes
    )
    roomy = scan(git_repo.path, {"history_max_file_size": 1 << 20})
    assert roomy.sections[SECTION]["too_large"] == 0 and len(history(roomy)) == 2
    assert not [n for n in roomy.coverage.notes if "history_max_file_size" in n]


def test_a_commit_whose_patch_names_no_keyword_is_passed_over_and_one_that_does_is_not():
    from archreview.selection import Selector

    config = parse_config({}, "test")
    scanner = AddedSecrets(secrets_module.SecretsAnalyzer().settings(config), Selector.from_config(config), config.selection_key())
    token = F.github_token()
    header = b"abc\n\ndiff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1,0 +2 @@\n"
    assert not scanner.relevant(header + b"+x = compute(1)\n")
    assert scanner.relevant(header + f'+GITHUB_TOKEN = "{token}"\n'.encode())
    assert scanner.relevant(header + b'+DB = "postgres://admin:hunter2x@db.internal/app"\n')  # a keyword pattern, no keyword
    found = scanner.scan("app.py", b"\n@@ -1,0 +2 @@\n" + f'+GITHUB_TOKEN = "{token}"\n'.encode())
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [("secrets.github-token", "app.py", 2)]


def test_a_shallow_clone_leaves_nothing_in_the_cache_that_a_full_clone_would_misread(git_repo, tmp_path):
    """In a shallow clone the oldest commit reached looks like a first
    commit: its lines all count as added. Scanning the full history later,
    with the same cache, must give what a fresh cache gives."""
    build(git_repo)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone)], check=True, env=git_env(), capture_output=True
    )
    cache = tmp_path / "cache"
    scan(clone, cache_dir=cache)
    after_shallow = scan(git_repo.path, cache_dir=cache)
    fresh = scan(git_repo.path, cache_dir=tmp_path / "fresh")
    assert after_shallow.sections["activity"] == fresh.sections["activity"]
    assert [f.to_dict() for f in history(after_shallow)] == [f.to_dict() for f in history(fresh)]


def test_when_the_python_history_cannot_be_read_the_other_files_history_still_counts(git_repo, monkeypatch):
    from archreview.analyzers.activity import gitlog

    build(git_repo)

    def broken(*args, **kwargs):
        raise RuntimeError("git log -p failed: fatal: out of memory")

    monkeypatch.setattr(gitlog, "read", broken)
    result = scan(git_repo.path)
    assert [f.path for f in history(result)] == ["scripts/release.sh"]
    assert result.sections[SECTION]["status"] == "partial"
    assert "git history of Python files was not checked for secrets: RuntimeError: git log -p failed: fatal: out of memory" in result.coverage.notes
    assert any(note.startswith("activity analysis failed") for note in result.coverage.notes)


def test_added_lines_the_detector_fails_on_are_counted_and_noted_not_read_as_clean(git_repo, monkeypatch):
    from archreview.analyzers import secrets_added

    build(git_repo)
    made = secrets_added.AddedSecrets.for_context

    class Failing:
        def __init__(self, detector):
            self.detector = detector

        def scan(self, data, kind, role):
            if b"DB_PASSWORD" in data:
                raise ValueError("detector bug")
            return self.detector.scan(data, kind, role)

    def for_context(context):
        scanner = made(context)
        scanner.analyzer._detector = Failing(scanner.analyzer.detector)
        return scanner

    monkeypatch.setattr(secrets_added.AddedSecrets, "for_context", staticmethod(for_context))
    result = scan(git_repo.path)
    assert sorted(f.path for f in history(result)) == ["deploy.py", "scripts/release.sh"]  # settings.py's could not be checked
    section = result.sections[SECTION]
    assert section["python_changes_unchecked"] == 2  # both commits that added a DB_PASSWORD line to settings.py
    assert (
        "git history: 2 changes to Python files not checked for secrets: the check failed on the lines they added"
        in result.coverage.notes
    )


def test_an_old_password_gone_from_the_code_is_one_step_less_severe_but_a_token_is_not(git_repo):
    password, token = F.password(), F.github_token()
    git_repo.commit({"settings.py": f'SECRET_KEY_PASSWORD = "{password}"\nGITHUB_TOKEN = "{token}"\n'}, date="2015-12-20")
    removed = git_repo.commit({"settings.py": 'import os\nSECRET_KEY_PASSWORD = os.environ["P"]\n'}, date="2016-01-07")
    git_repo.commit({"README.md": "app\n"}, date="2019-03-01")
    found = {f.rule: f for f in history(scan(git_repo.path))}
    old = found["secrets.secret-assignment"]
    assert old.severity == "medium" and old.message.endswith("(3 years before this revision)")
    assert found["secrets.github-token"].severity == "critical"  # a provider's token works however old it is
    young = {f.rule: f for f in history(scan(git_repo.path, rev=removed))}  # days after it was removed
    assert young["secrets.secret-assignment"].severity == "high"
