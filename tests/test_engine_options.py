"""The engine's options for a run of file analyzers alone (``check``):
no repository analyzers, no fact-gathering file analyzers, only some paths."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archreview.analyzers import FACT_ANALYZERS, _load
from archreview.analyzers.base import SourceFile
from archreview.config import parse_config
from archreview.engine import Engine, ScanOptions
from archreview.snapshot import open_snapshot

CORPUS = Path(__file__).parent / "data" / "pycorpus"


def corpus_repo(git_repo):
    files = {f"shop/{p.name}": p.read_text() for p in (CORPUS / "shop").glob("*.py")}
    files["README.md"] = "# shop\n\nRun `make deploy`; backups nightly.\n"
    files[".github/workflows/ci.yml"] = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    git_repo.commit(files, date="2025-01-10")
    return files


def scan(git_repo, **options):
    engine = Engine(parse_config({}, "defaults"), ScanOptions(use_cache=False, offline=True, **options))
    try:
        return engine.scan(open_snapshot(git_repo.path))[0]
    finally:
        engine.close()


def test_file_analyzers_only(git_repo):
    corpus_repo(git_repo)
    full = scan(git_repo)
    alone = scan(git_repo, repo_analyzers=False)
    assert {"architecture", "readiness"} <= set(full.sections)
    assert alone.sections == {}
    assert {"imports", "rules"} <= set(full.analyzers)
    assert not {"imports", "rules"} & set(alone.analyzers)
    file_rules = {f.rule for f in full.findings if f.path.endswith(".py") and f.area in ("security", "complexity", "secrets")}
    assert file_rules and file_rules == {f.rule for f in alone.findings}


def test_only_some_paths(git_repo):
    files = corpus_repo(git_repo)
    some = sorted(p for p in files if p.endswith(".py"))[:2]
    result = scan(git_repo, repo_analyzers=False, paths=frozenset(some))
    assert {f.path for f in result.files} == set(some)
    assert {f.path for f in result.findings} <= set(some)


def test_fact_analyzers_yield_no_findings():
    config = parse_config({}, "defaults")
    for spec in FACT_ANALYZERS:
        analyzer = _load(spec)()
        settings = analyzer.settings(config)
        analyzer.setup(settings)
        for path in (CORPUS / "shop").glob("*.py"):
            rel = f"shop/{path.name}"
            if not analyzer.wants(rel, "source", settings):
                continue
            output = analyzer.analyze(SourceFile(rel, "0" * 40, "source", path.read_bytes(), f"shop.{path.stem}"), settings)
            assert not output.get("findings"), (spec, rel)


def test_a_run_without_repository_analyzers_does_not_import_the_fact_analyzers(git_repo):
    corpus_repo(git_repo)
    code = (
        "import sys\n"
        "from archreview.config import parse_config\n"
        "from archreview.engine import Engine, ScanOptions\n"
        "Engine(parse_config({}, 'd'), ScanOptions(use_cache=False, repo_analyzers=False)).close()\n"
        "print(sorted(m for m in ('archreview.analyzers.rulefiles', 'archreview.analyzers.imports') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_scans_of_several_revisions_share_their_answers_about_paths(git_repo, monkeypatch):
    """A backfill's months ask about the same paths: with one PATH_ANSWERS
    dict, each path is matched once, and every result is the one a scan
    without it gives; another configuration never reads those answers."""
    from archreview.analyzers.rulefiles import RulesAnalyzer
    from archreview.engine import PATH_ANSWERS

    corpus_repo(git_repo)
    first = git_repo.head()
    git_repo.commit({"shop/extra.py": "import os\n\n\ndef go():\n    return os.system('ls')\n"}, date="2025-02-10")
    asked = []
    original = RulesAnalyzer.cache_variant

    def counting(self, path, role, settings):
        asked.append(path)
        return original(self, path, role, settings)

    monkeypatch.setattr(RulesAnalyzer, "cache_variant", counting)
    answers: dict = {}
    shared = {rev: _scan_rev(git_repo, rev, {PATH_ANSWERS: answers}) for rev in (git_repo.head(), first)}
    assert len(asked) == len(set(asked))  # the first revision's paths were not matched again
    for rev, result in shared.items():
        assert [f.to_dict() for f in result.findings] == [f.to_dict() for f in _scan_rev(git_repo, rev, {}).findings]
    other = parse_config({"exclude": ["shop/extra.py"]}, "other")
    engine = Engine(other, ScanOptions(use_cache=False, offline=True, extra={PATH_ANSWERS: answers}))
    try:
        result = engine.scan(open_snapshot(git_repo.path))[0]
    finally:
        engine.close()
    assert "shop/extra.py" not in {f.path for f in result.findings}
    assert len(answers) == 2  # one set of answers per configuration


def _scan_rev(git_repo, rev, extra):
    engine = Engine(parse_config({}, "defaults"), ScanOptions(use_cache=False, offline=True, extra=extra))
    try:
        return engine.scan(open_snapshot(git_repo.path, rev=rev))[0]
    finally:
        engine.close()



def test_scans_of_several_revisions_decode_each_cached_output_once(git_repo, tmp_path, monkeypatch):
    """With one OUTPUT_MEMO dict, an output read from the cache for one
    revision is not read again for the next, and each result is the one a
    scan without the memo gives."""
    from archreview.cache import Cache
    from archreview.engine import OUTPUT_MEMO

    corpus_repo(git_repo)
    first = git_repo.head()
    git_repo.commit({"shop/extra.py": "import os\n\n\ndef go():\n    return os.system('ls')\n"}, date="2025-02-10")
    cache = tmp_path / "cache"
    plain = {rev: _scan_cached(git_repo, rev, cache, {}) for rev in (git_repo.head(), first)}  # fills the cache
    read: list[str] = []
    original = Cache.get_many

    def counting(self, analyzer, version, config, blobs):
        blobs = list(blobs)
        read.extend(f"{analyzer}:{config}:{blob}" for blob in blobs)
        return original(self, analyzer, version, config, blobs)

    monkeypatch.setattr(Cache, "get_many", counting)
    memo: dict = {}
    shared = {rev: _scan_cached(git_repo, rev, cache, {OUTPUT_MEMO: memo}) for rev in (git_repo.head(), first)}
    assert read and len(read) == len(set(read))  # the older revision read only what the newer one lacked
    assert len(memo) == len(read)
    for rev, result in shared.items():
        assert result.to_dict()["findings"] == plain[rev].to_dict()["findings"]
        assert [f.to_dict() for f in result.files] == [f.to_dict() for f in plain[rev].files]


def _scan_cached(git_repo, rev, cache, extra):
    engine = Engine(parse_config({}, "defaults"), ScanOptions(cache_dir=cache, offline=True, extra=extra))
    try:
        return engine.scan(open_snapshot(git_repo.path, rev=rev))[0]
    finally:
        engine.close()
