"""The history store: files written atomically, read back exactly, and any
file that cannot be trusted reported and skipped."""

from __future__ import annotations

import json
import subprocess

import pytest

from archreview import history
from archreview.errors import ArchreviewError
from archreview.scan import run_scan
from historyfixture import ANN, branchy


@pytest.fixture
def scanned(git_repo):
    git_repo.commit(
        {
            "app/__init__.py": "",
            "app/core.py": branchy("route"),
            "app/util.py": "import subprocess\nsubprocess.call('ls', shell=True)\n",
        },
        date="2025-03-30T22:00:00-05:00",  # 2025-03-31 03:00 UTC
        author=ANN,
    )
    result, _stats, _config = run_scan(git_repo.path)
    return git_repo, result


def test_month_is_the_commit_date_in_utc(scanned):
    _repo, result = scanned
    assert history.month_of_result(result) == "2025-03"
    assert history.month_of("2025-03-31T22:00:00-05:00") == "2025-04"
    assert history.month_end("2025-02") == history.month_start("2025-03") - 1
    assert history.add_months("2025-01", -2) == "2024-11"
    with pytest.raises(ArchreviewError, match="YYYY-MM"):
        history.check_month("2025-13")


def test_round_trip_keeps_findings_metrics_and_sections(scanned, tmp_path):
    _repo, result = scanned
    result.sections["activity"] = {"hotspots": [{"path": "app/core.py", "score": 26}]}
    path = history.save(tmp_path / "h", "2025-03", result)
    assert path == tmp_path / "h" / "2025-03.json"
    loaded = history.load(tmp_path / "h")
    assert loaded.problems == []
    [entry] = loaded.entries
    back = entry.result
    assert entry.month == "2025-03" and entry.carried_forward is False
    assert [f.to_dict() for f in back.findings] == [f.to_dict() for f in result.findings]
    assert {f.rule for f in back.findings} >= {"complexity.function", "security.B602"}
    assert [(f.path, f.sloc, f.cc_total, f.mi) for f in back.files] == [
        (f.path, f.sloc, f.cc_total, f.mi) for f in result.files
    ]
    assert all(f.blob == "" for f in back.files)  # left out of the stored form, on purpose
    assert back.sections["activity"] == result.sections["activity"]
    assert back.sections["history"] == {"month": "2025-03", "saved_at": entry.saved_at, "carried_forward": False}
    assert back.revision == result.revision
    # the module-level import graph stays out of history files; the package view stays in
    architecture = result.sections["architecture"]
    assert architecture["nodes"] and set(back.sections["architecture"]) == set(architecture) - {"nodes", "edges"}
    assert back.sections["architecture"]["packages"] == architecture["packages"]


def test_stored_form_is_compact_and_one_record_per_line(scanned, tmp_path):
    _repo, result = scanned
    text = history.encode(result, "2025-03")
    doc = json.loads(text)
    assert list(doc)[:2] == ["schema_version", "history"]
    assert set(doc["files"]) == {history.TABLE, "rows"} and "blob" not in doc["files"][history.TABLE]
    lines = text.splitlines()
    rows = doc["findings"]["rows"] if isinstance(doc["findings"], dict) else doc["findings"]
    assert len(rows) == len(result.findings)
    for row in rows:  # one finding per line
        assert sum(1 for line in lines if line.rstrip(",") == json.dumps(row, separators=(",", ":"))) == 1
    assert len(text) < len(json.dumps(result.to_dict(), indent=2))


def test_saving_the_same_month_replaces_it_atomically(scanned, tmp_path):
    repo, result = scanned
    folder = tmp_path / "h"
    history.save(folder, "2025-03", result)
    repo.commit({"app/core.py": "def route(x):\n    return x\n"}, date="2025-03-31")
    second, _s, _c = run_scan(repo.path)
    history.save(folder, "2025-03", second)
    assert sorted(p.name for p in folder.iterdir()) == ["2025-03.json"]  # no temp file left
    [entry] = history.load(folder).entries
    assert entry.result.revision == second.revision
    assert not any(f.rule == "complexity.function" for f in entry.result.findings)


def test_corrupt_file_is_reported_and_skipped(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    history.save(folder, "2025-03", result)
    good = history.save(folder, "2025-04", result)
    (folder / "2025-02.json").write_text('{"schema_version": 1, "history": ', encoding="utf-8")
    loaded = history.load(folder)
    assert [e.month for e in loaded.entries] == ["2025-03", "2025-04"]
    assert loaded.unreadable == {"2025-02"}
    [problem] = loaded.problems
    assert problem.startswith("2025-02.json skipped: not valid JSON (line 1")
    assert loaded.notes() == [f"history: {problem}"]
    assert good.exists()


def test_hand_edited_file_is_not_misread(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    path = history.save(folder, "2025-03", result)
    text = path.read_text(encoding="utf-8")
    rule = result.findings[0].rule
    edited = text.replace(f'"{rule}"', '"security.B101"', 1)  # someone "corrects" a finding
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    loaded = history.load(folder)
    assert loaded.entries == []
    assert "changed after archreview wrote it" in loaded.problems[0]


def test_merge_conflict_markers_are_named(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    path = history.save(folder, "2025-03", result)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3:3] = ["<<<<<<< HEAD", '"x": 1,', "=======", '"x": 2,', ">>>>>>> other"]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "merge conflict" in history.load(folder).problems[0]


def test_file_under_the_wrong_month_name_is_refused(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    path = history.save(folder, "2025-03", result)
    path.rename(folder / "2025-05.json")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    loaded = history.load(folder)
    assert loaded.entries == []
    assert any("describes '2025-03', not 2025-05" in p for p in loaded.problems)
    assert any(p.startswith("notes.json skipped: its name is not a month") for p in loaded.problems)


def _stored_with_version(result, month: str, version: int) -> str:
    """A file as an archreview with another result schema would have written it."""
    doc = json.loads(history.encode(result, month))
    doc["schema_version"] = version
    if version == 0:  # schema 0 called the findings list "issues"
        doc["issues"] = doc.pop("findings")
    doc["history"]["checksum"] = history.checksum(doc)
    return json.dumps(doc)


def test_older_schema_without_migration_is_refused_clearly(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "2025-03.json").write_text(_stored_with_version(result, "2025-03", 0), encoding="utf-8")
    loaded = history.load(folder)
    assert loaded.entries == []
    [problem] = loaded.problems
    assert "result schema 0" in problem and "cannot read or upgrade" in problem
    assert f"archreview scan --save --rev {result.revision} --month 2025-03" in problem


def test_older_schema_is_migrated_through_the_hook(scanned, tmp_path, monkeypatch):
    _repo, result = scanned

    def from_0(doc):
        doc = dict(doc)
        doc["findings"] = doc.pop("issues")
        doc["schema_version"] = 1
        return doc

    monkeypatch.setattr(history, "MIGRATIONS", {0: from_0})
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "2025-03.json").write_text(_stored_with_version(result, "2025-03", 0), encoding="utf-8")
    loaded = history.load(folder)
    assert loaded.problems == []
    assert [f.fingerprint for f in loaded.entries[0].result.findings] == [f.fingerprint for f in result.findings]


def test_newer_schema_is_refused(scanned, tmp_path):
    _repo, result = scanned
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "2025-03.json").write_text(_stored_with_version(result, "2025-03", 7), encoding="utf-8")
    [problem] = history.load(folder).problems
    assert "newer archreview" in problem and "schema 7" in problem


def test_a_broken_migration_is_caught(scanned, tmp_path, monkeypatch):
    _repo, result = scanned
    monkeypatch.setattr(history, "MIGRATIONS", {0: lambda doc: doc})  # forgets to bump the version
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "2025-03.json").write_text(_stored_with_version(result, "2025-03", 0), encoding="utf-8")
    assert "upgrade from schema 0 went wrong" in history.load(folder).problems[0]


def test_history_lives_in_the_work_tree(git_repo):
    git_repo.commit({"a.py": "x = 1\n"})
    (git_repo.path / "sub").mkdir()
    assert history.history_dir(git_repo.path) == git_repo.path.resolve() / ".archreview" / "history"
    assert history.history_dir(git_repo.path / "sub") == git_repo.path.resolve() / "sub" / ".archreview" / "history"


def test_plain_folder_and_bare_repository_need_a_history_dir(git_repo, tmp_path):
    git_repo.commit({"a.py": "x = 1\n"})
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(history.HistoryError, match="not a git repository.*--history-dir"):
        history.history_dir(plain)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.path), str(bare)], check=True)
    with pytest.raises(history.HistoryError, match="bare repository.*--history-dir"):
        history.history_dir(bare)
    assert history.history_dir(bare, tmp_path / "elsewhere") == tmp_path / "elsewhere"
    assert history.load(tmp_path / "missing").entries == []


def test_tables_round_trip_exactly():
    value = {
        "same": [{"a": 1, "b": [1, 2]}, {"a": 2, "b": []}, {"a": 3, "b": None}],
        "mixed": [{"a": 1}, {"b": 2}, {"a": 3}],
        "short": [{"a": 1}, {"a": 2}],
        "nested": {"rows": [{"x": {"y": 1}}, {"x": {"y": 2}}, {"x": {"y": 3}}]},
    }
    table = history.tabulate(value)
    assert table["same"] == {history.TABLE: ["a", "b"], "rows": [[1, [1, 2]], [2, []], [3, None]]}
    assert table["short"] == value["short"]
    assert table["mixed"] == value["mixed"]  # no shape shared by three
    odd = [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5, "b": 6, "c": 7}, {"b": 8, "a": 9}, {"a": 0, "b": 0}]
    assert history.tabulate(odd) == {
        history.TABLE: ["a", "b"],
        "rows": [[1, 2], [3, 4], {"a": 5, "b": 6, "c": 7}, {"b": 8, "a": 9}, [0, 0]],
    }
    assert history.untabulate(history.tabulate(odd)) == odd
    assert [list(item) for item in history.untabulate(history.tabulate(odd))] == [list(item) for item in odd]
    assert history.untabulate(table) == value


def test_damaged_table_is_named(scanned, tmp_path):
    _repo, result = scanned
    doc = json.loads(history.encode(result, "2025-03"))
    doc["files"]["rows"][0].pop()
    doc["history"]["checksum"] = history.checksum(doc)
    (tmp_path / "2025-03.json").write_text(json.dumps(doc), encoding="utf-8")
    assert "row 1 of a table in it does not match the columns" in history.load(tmp_path).problems[0]
