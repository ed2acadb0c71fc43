"""Activity from git history: churn, hotspots, bus factor, knowledge loss and
cadence, measured from the scanned revision's date, renames followed,
.mailmap honoured, cached per commit."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest

from archreview.analyzers.activity import SHALLOW_NOTE, gitlog, measures
from archreview.cache import Cache
from archreview.gitrepo import GitRepo
from archreview.scan import run_scan
from historyfixture import ANN, BOB, CARA, build


@pytest.fixture
def repo(git_repo):
    commits = build(git_repo)
    return git_repo, commits


def _activity(path, **kwargs):
    result, _stats, _config = run_scan(path, **kwargs)
    return result, result.sections.get("activity")


def _churn(activity, path):
    return next((row for row in activity["churn"]["top"] if row["path"] == path), None)


def test_churn_windows_end_at_the_scanned_revision_not_today(repo):
    git_repo, c = repo
    result, activity = _activity(git_repo.path)
    assert activity["reference_date"].startswith("2025-06-15")
    billing = _churn(activity, "app/billing.py")  # written in May, changed in June
    assert billing["lines_3m"] == billing["lines_12m"] > 0
    assert billing["commits_12m"] == 2
    core = _churn(activity, "app/core.py")  # changed in January and February only
    assert core["lines_3m"] == 0 and core["lines_6m"] > 0 and core["commits_12m"] == 2
    # the same measure for an earlier month: windows move with the revision
    _result, april = _activity(git_repo.path, rev=c["apr-ann"])
    assert _churn(april, "app/core.py")["lines_3m"] > 0
    assert _churn(april, "app/billing.py") is None


def test_lines_are_counted_like_git_numstat(repo):
    git_repo, c = repo
    _result, activity = _activity(git_repo.path)
    out = git_repo.git("log", "--numstat", "--format=", "--", "app/api.py")
    expected = sum(int(a) + int(d) for a, d, _p in (line.split("\t") for line in out.splitlines() if line.strip()))
    assert _churn(activity, "app/api.py")["lines_12m"] == expected


def test_renames_are_followed_for_churn_and_ownership(repo, tmp_path):
    git_repo, c = repo
    (git_repo.path / ".archreview.toml").write_text("[activity]\ninactive_months = 2\n", encoding="utf-8")
    result, activity = _activity(git_repo.path)
    util = _churn(activity, "app/helpers/util.py")
    # January's lines (written as app/util.py) count for the file's current name
    assert util["commits_12m"] == 3 and util["lines_12m"] > 4
    lost = {row["path"]: row for row in activity["knowledge_loss"]["files"]}
    # Ann wrote it under its old name and has made no commit since April
    assert lost["app/helpers/util.py"]["owner"] == "Ann Author"
    assert lost["app/helpers/util.py"]["owner_last_commit"] == "2025-04-05"
    assert "app/billing.py" not in lost  # Bob is active
    assert activity["knowledge_loss"]["inactive_months"] == 2
    assert activity["knowledge_loss"]["sloc"] == sum(row["sloc"] for row in lost.values())


def test_hotspots_rank_change_frequency_times_complexity(repo):
    git_repo, _c = repo
    result, activity = _activity(git_repo.path)
    spots = activity["hotspots"]
    assert [s["path"] for s in spots][:2] == ["app/billing.py", "app/core.py"]
    top = spots[0]
    metrics = next(f for f in result.files if f.path == "app/billing.py")
    assert top["score"] == top["commits_12m"] * metrics.cc_total
    assert top["findings"] == sum(1 for f in result.findings if f.path == "app/billing.py" and f.area != "activity")
    assert all(s["path"] != "tests/test_core.py" for s in spots)  # product code only


def test_bus_factor_of_files_and_repository(repo):
    git_repo, _c = repo
    result, activity = _activity(git_repo.path)
    bus = activity["bus_factor"]
    assert bus["authors_12m"] == 3
    assert {a["name"] for a in bus["top_authors"]} == {"Ann Author", "Bob Builder", "Cara Coder"}
    shares = Counter({a["name"]: a["share"] for a in bus["top_authors"]})
    assert bus["repository"] == measures.bus_factor(shares)
    billing = next(s for s in activity["hotspots"] if s["path"] == "app/billing.py")
    assert billing["bus_factor"] == 1  # only Bob changed it
    assert any(f["path"] == "app/billing.py" and f["owner"] == "Bob Builder" for f in bus["files"])


def test_bus_factor_function():
    assert measures.bus_factor(Counter()) == 0
    assert measures.bus_factor(Counter(a=10)) == 1
    assert measures.bus_factor(Counter(a=6, b=4)) == 1
    assert measures.bus_factor(Counter(a=5, b=5)) == 2  # half is not most
    assert measures.bus_factor(Counter(a=3, b=3, c=3, d=1)) == 2
    assert measures.main_authors(Counter(a=3, b=3, c=3, d=1)) == ["a", "b"]


def test_single_author_repository_gets_a_bus_factor_finding(git_repo):
    for day in ("2025-01-05", "2025-02-05", "2025-03-05"):
        git_repo.commit({"app.py": f"# {day}\n\ndef f(x):\n    return x\n"}, date=day, author=ANN)
    git_repo.commit({"README.md": "hi\n"}, date="2025-03-06", author=BOB)  # no Python: no lines
    result, activity = _activity(git_repo.path)
    assert activity["bus_factor"]["repository"] == 1
    [finding] = [f for f in result.findings if f.rule == "activity.bus-factor"]
    assert finding.path == "" and finding.area == "activity" and finding.severity == "medium"
    assert "Ann Author" in finding.message and finding.plain.endswith(".")
    assert activity["cadence"]["authors_3m"] == 2  # Bob's README commit counts for cadence


def test_bots_commits_are_nobodys_knowledge_and_no_sign_of_change(git_repo):
    bot = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    git_repo.commit({"app/__init__.py": '__version__ = "1.0"\n', "app/core.py": "def f(x):\n    return x\n"}, date="2025-01-05", author=ANN)
    git_repo.commit({"app/core.py": "def f(x):\n    return x + 1\n"}, date="2025-02-05", author=BOB)
    for month in range(3, 7):
        git_repo.commit({"app/__init__.py": f'__version__ = "1.{month}"\n'}, date=f"2025-0{month}-01", author=bot)
    git_repo.commit({"app/util.py": "X = 1\n"}, date="2025-06-02", author="dependabot <support@dependabot.com>")
    _r, activity = _activity(git_repo.path)
    # the version file: one commit by a person in the year, none by the bot
    assert _churn(activity, "app/__init__.py")["commits_12m"] == 1
    assert _churn(activity, "app/util.py") is None
    names = {a["name"] for a in activity["bus_factor"]["top_authors"]}
    assert names == {"Ann Author", "Bob Builder"}
    assert activity["cadence"]["commits_12m"] == 2 and activity["cadence"]["authors_12m"] == 2


def test_a_history_of_one_imported_commit_says_nothing_about_people(git_repo, tmp_path):
    from archreview.config import parse_config
    from archreview.render import RenderContext, render
    from archreview.scoring import add_scores

    git_repo.commit({"app/core.py": "def f(x):\n    return x\n" * 40, "app/api.py": "def g():\n    return 1\n"}, date="2025-01-05", author=ANN)
    result, activity = _activity(git_repo.path, cache_dir=tmp_path / "cache")
    assert activity["short_history"] is True
    assert not [f for f in result.findings if f.rule in ("activity.bus-factor", "activity.knowledge-loss")]
    assert any("history is too short to tell who knows the code (1 commit, first on 2025-01-05)" in n for n in result.coverage.notes)
    add_scores(result)
    team = result.sections["scores"]["areas"]["activity"]
    assert team["grade"] is None and team["basis"] == "history too short to judge"
    text = render("markdown", result, RenderContext(config=parse_config({}, "test")))
    assert "The history is too short to tell who knows the code" in text
    assert "One person wrote most of the recent changes" not in text
    # a real history, by the same single author, is judged
    for day in ("2025-02-05", "2025-03-05"):
        git_repo.commit({"app/api.py": f"# {day}\ndef g():\n    return 1\n"}, date=day, author=ANN)
    result, activity = _activity(git_repo.path, cache_dir=tmp_path / "cache")
    assert activity["short_history"] is False
    assert [f.rule for f in result.findings if f.rule == "activity.bus-factor"] == ["activity.bus-factor"]


def test_a_file_someone_active_has_taken_over_is_not_lost(git_repo, tmp_path):
    (git_repo.path / ".archreview.toml").write_text("[activity]\ninactive_months = 6\n", encoding="utf-8")
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(60))
    git_repo.commit({"app/models.py": body, "app/old.py": body}, date="2023-01-05", author=ANN)
    git_repo.commit({"app/other.py": "X = 1\n"}, date="2023-02-05", author=ANN)  # Ann's last commit
    # Bob keeps one file going this year with small changes; the other nobody touches
    for month in range(1, 6):
        git_repo.commit({"app/models.py": body + f"# {month}\n"}, date=f"2025-0{month}-10", author=BOB)
    _r, activity = _activity(git_repo.path)
    lost = {row["path"] for row in activity["knowledge_loss"]["files"]}
    assert "app/old.py" in lost  # Ann wrote it and left; nobody took it over
    assert "app/models.py" not in lost  # Ann wrote most of it, but Bob maintains it now


def test_mailmap_is_honoured(repo):
    git_repo, _c = repo
    git_repo.commit({"app/api.py": "def get(items, key):\n    return key\n"}, date="2025-06-20", author="cara <cara@old.example>")
    _r, before = _activity(git_repo.path)
    assert before["bus_factor"]["authors_12m"] == 4  # "cara" looks like someone else
    git_repo.commit({".mailmap": "Cara Coder <cara@example.com> <cara@old.example>\n"}, date="2025-06-21", author=BOB)
    _r, after = _activity(git_repo.path)
    assert after["bus_factor"]["authors_12m"] == 3
    assert "cara" not in {a["name"] for a in after["bus_factor"]["top_authors"]}


def test_one_person_with_two_addresses_counts_once(git_repo):
    git_repo.commit({"a.py": "x = 1\n"}, date="2025-01-05", author="Dee Dev <dee@work.example>")
    git_repo.commit({"a.py": "x = 2\n"}, date="2025-01-06", author="dee dev <dee@home.example>")
    git_repo.commit({"a.py": "x = 3\n"}, date="2025-01-07", author="deedev <dee@home.example>")
    _r, activity = _activity(git_repo.path)
    assert activity["bus_factor"]["authors_12m"] == 1
    assert activity["cadence"]["authors_12m"] == 1


def test_a_name_written_without_its_space_is_the_same_person(git_repo):
    git_repo.commit({"a.py": "x = 1\n"}, date="2025-01-05", author="Valentijn Scholten <v@work.example>")
    git_repo.commit({"a.py": "x = 2\n"}, date="2025-01-06", author="valentijnscholten <12345+vs@users.noreply.github.com>")
    git_repo.commit({"a.py": "x = 3\n"}, date="2025-01-07", author="Valentijn Scholten <v@work.example>")
    _r, activity = _activity(git_repo.path)
    assert activity["bus_factor"]["authors_12m"] == 1


def test_cadence_counts_commits_per_month(repo):
    git_repo, _c = repo
    _r, activity = _activity(git_repo.path)
    cadence = activity["cadence"]
    months = {m["month"]: m for m in cadence["months"]}
    assert len(cadence["months"]) == 12 and cadence["months"][-1]["month"] == "2025-06"
    assert months["2025-03"]["commits"] == 0  # the empty month
    assert months["2025-02"] == {"month": "2025-02", "commits": 2, "authors": 2}  # merges not counted
    assert months["2025-06"]["authors"] == 2
    assert cadence["first_commit"] == "2025-01-10"
    assert activity["commits"]["merges"] == 1
    assert activity["commits"]["total"] == 9


def test_history_is_parsed_once_and_cached_per_commit(repo, tmp_path):
    git_repo, _c = repo
    git = GitRepo(git_repo.path)
    cache = Cache(tmp_path / "cache")
    try:
        commits = gitlog.list_commits(git, "HEAD")
        first = gitlog.LogStats()
        changes = gitlog.file_changes(git, commits, cache, jobs=2, stats=first)
        assert first.parsed == 8 and first.from_cache == 0  # 9 commits, one merge
        again = gitlog.LogStats()
        assert gitlog.file_changes(git, commits, cache, jobs=2, stats=again) == changes
        assert again.parsed == 0 and again.from_cache == 8
        git_repo.commit({"app/api.py": "x = 1\n"}, date="2025-07-01", author=CARA)
        more = gitlog.LogStats()
        gitlog.file_changes(git, gitlog.list_commits(git, "HEAD"), cache, jobs=2, stats=more)
        assert more.parsed == 1  # next month: only the new commit
    finally:
        cache.close()
        git.close()


def test_parallel_chunks_give_the_same_answer(repo, monkeypatch):
    git_repo, _c = repo
    git = GitRepo(git_repo.path)
    try:
        commits = gitlog.list_commits(git, "HEAD")
        whole = gitlog.file_changes(git, commits, None, jobs=1)
        monkeypatch.setattr(gitlog, "CHUNK", 2)
        stats = gitlog.LogStats()
        assert gitlog.file_changes(git, commits, None, jobs=2, stats=stats) == whole
        assert stats.chunks > 1
    finally:
        git.close()


def test_missing_blob_in_history_is_counted_not_fatal(repo):
    git_repo, c = repo
    blob = git_repo.git("rev-parse", f"{c['jan-ann']}:app/util.py").strip()
    loose = git_repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.unlink()
    result, activity = _activity(git_repo.path)
    assert activity["commits"]["with_missing_contents"] == 3  # every commit whose diff needs that blob
    assert any(note.startswith("activity: 3 commits change files whose contents are missing") for note in result.coverage.notes)
    assert _churn(activity, "app/helpers/util.py")["commits_12m"] == 3  # still counted as changes
    assert _churn(activity, "app/billing.py")["lines_12m"] > 0  # the rest is read normally


def test_shallow_clone_is_skipped_with_a_note(repo, tmp_path):
    git_repo, _c = repo
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.path}", str(shallow)], check=True)
    result, activity = _activity(shallow)
    assert activity is None
    assert SHALLOW_NOTE in result.coverage.notes
    assert "fetch-depth: 0" in SHALLOW_NOTE


def test_plain_folder_is_skipped_with_a_note(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n", encoding="utf-8")
    result, activity = _activity(folder)
    assert activity is None
    assert any(note.startswith("activity: not a git repository") for note in result.coverage.notes)


def _numstat(git_repo, commit_id: str) -> list[list]:
    """What ``git diff-tree --numstat -M -z`` says for one commit, parsed
    independently of gitlog (binary files count 0, as gitlog counts them)."""
    out = git_repo.git("diff-tree", "-r", "--root", "--no-commit-id", "--numstat", "-M", "-z", commit_id, "--", "*.py")
    tokens, entries, i = out.split("\0"), [], 0
    while i < len(tokens):
        token = tokens[i].strip("\n")
        i += 1
        if not token:
            continue
        added, deleted, path = token.split("\t", 2)
        count = (lambda t: int(t) if t.isdigit() else 0)
        if path:
            entries.append([path, count(added), count(deleted)])
        else:
            entries.append([tokens[i + 1], count(added), count(deleted), tokens[i]])
            i += 2
    return entries


def test_the_patch_pass_counts_what_numstat_counts_for_every_kind_of_change(git_repo):
    """Odd paths (space, tab, quote, non-ASCII, a backslash), a binary file,
    a mode change, a pure rename, a rename with edits, a deletion and the
    root commit: the lines counted from ``git log -p -U0`` equal git's own
    ``--numstat`` (on changes this small git places each change the same
    way with or without context)."""
    odd = ["with space.py", "tab\there.py", 'quo"te.py', "caf\u00e9.py", "back\\slash.py", "dir/a b.py"]
    git_repo.commit({name: f"x = {i}\ny = 2\n" for i, name in enumerate(odd)} | {"bin.py": b"\x00\x01\x02"}, date="2025-01-01")
    git_repo.commit({"with space.py": "x = 9\ny = 2\nz = 3\n", "bin.py": b"\x00\x03"}, date="2025-01-02")
    git_repo.git("update-index", "--chmod=+x", "caf\u00e9.py")
    git_repo.git("commit", "-q", "-m", "mode", date="2025-01-03")
    git_repo.rename("dir/a b.py", "moved/a b.py", date="2025-01-04")
    git_repo.rename('quo"te.py', "renamed quote.py", date="2025-01-05")
    git_repo.commit({"renamed quote.py": 'x = 0\ny = 2\n# more\n', "tab\there.py": None, "--- tricky.py": "--- x\n+++ y\n"}, date="2025-01-06")
    git_repo.commit({"--- tricky.py": "--- z\n+++ y\n-- w\n"}, date="2025-01-07")
    git = GitRepo(git_repo.path)
    try:
        commits = gitlog.list_commits(git, "HEAD")
        changes = gitlog.file_changes(git, commits, None, jobs=1)
    finally:
        git.close()
    assert len(commits) == 7
    for commit in commits:
        assert sorted(changes[commit.id]) == sorted(_numstat(git_repo, commit.id)), commit.id
    renamed = [entry for entries in changes.values() for entry in entries if len(entry) == 4]
    assert sorted(renamed) == [["moved/a b.py", 0, 0, "dir/a b.py"], ["renamed quote.py", 0, 0, 'quo"te.py']]


def test_the_scanner_gets_each_files_added_lines_and_its_answers_are_cached(git_repo, tmp_path):
    class Lines:
        namespace = "test.added-lines"

        def __init__(self):
            self.calls = 0

        def relevant(self, patch):
            return True

        def scan(self, path, hunks):
            self.calls += 1
            return [[path, line.decode()] for line in hunks.split(b"\n") if line.startswith(b"+")]

    git_repo.commit({"a.py": "one\ntwo\n", "notes.txt": "not python\n"}, date="2025-01-01")
    second = git_repo.commit({"a.py": "one\n+plus\ntwo\n"}, date="2025-01-02")
    git = GitRepo(git_repo.path)
    cache = Cache(tmp_path / "cache")
    try:
        commits = gitlog.list_commits(git, "HEAD")
        scanner = Lines()
        read = gitlog.read(git, commits, cache, jobs=1, revision=second, scanner=scanner)
        assert read.found[second] == [["a.py", "++plus"]]
        assert read.found[commits[-1].id] == [["a.py", "+one"], ["a.py", "+two"]]
        assert scanner.calls == 2
        again = Lines()
        assert gitlog.read(git, commits, cache, jobs=1, revision=second, scanner=again).found == read.found
        assert again.calls == 0  # kept per commit: git was not asked again
    finally:
        cache.close()
        git.close()


def test_months_before_clamps_the_day():
    stamp = int(__import__("datetime").datetime(2025, 5, 31, 12, tzinfo=__import__("datetime").timezone.utc).timestamp())
    assert measures.iso_date(measures.months_before(stamp, 3)) == "2025-02-28"
    assert measures.iso_date(measures.months_before(stamp, 12)) == "2024-05-31"


def test_unknown_config_value_is_an_error(repo):
    git_repo, _c = repo
    (git_repo.path / ".archreview.toml").write_text('[activity]\ninactive_months = "six"\n', encoding="utf-8")
    from archreview.errors import ConfigError

    with pytest.raises(ConfigError, match="inactive_months"):
        run_scan(git_repo.path)


def test_paths_in_output_are_repository_relative(repo):
    git_repo, _c = repo
    _r, activity = _activity(git_repo.path)
    paths = [row["path"] for row in activity["churn"]["top"]] + [s["path"] for s in activity["hotspots"]]
    assert paths and all(not Path(p).is_absolute() and "\\" not in p for p in paths)


def test_same_inputs_reuse_the_stored_output_and_a_new_mailmap_does_not(repo, tmp_path, monkeypatch):
    git_repo, _c = repo
    cache = tmp_path / "cache"
    git_repo.commit({"app/api.py": "def get(items, key):\n    return key\n"}, date="2025-06-20", author="cara <cara@old.example>")
    _r, first = _activity(git_repo.path, cache_dir=cache)
    calls = []
    real = gitlog.list_commits
    monkeypatch.setattr(gitlog, "list_commits", lambda *a, **k: calls.append(1) or real(*a, **k))
    _r, again = _activity(git_repo.path, cache_dir=cache)
    assert again == first and calls == []  # one lookup, no git log
    (git_repo.path / ".mailmap").write_text("Cara Coder <cara@example.com> <cara@old.example>\n")
    _r, remapped = _activity(git_repo.path, cache_dir=cache)
    assert calls == [1]
    assert remapped["bus_factor"]["authors_12m"] == first["bus_factor"]["authors_12m"] - 1
