"""Offline dependency audit speed: 500 pinned requirements against the shared
PyPA advisory snapshot, cold (empty cache: the database is parsed) and warm
(the parsed database comes from the cache). Target: warm <= 2 s.

    python benchmarks/bench_dependencies.py [--db DIR] [--count 500]

Builds a throw-away git repository whose requirements.txt pins real package
names from the database at versions its advisories name (so most lines match
something), then runs the dependencies analyzer on it twice with a fresh cache
folder. Prints the repository, commit, cores, Python version, each figure and
its target.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from archreview.analyzers.base import RepoContext  # noqa: E402
from archreview.analyzers.dependencies import DependenciesAnalyzer  # noqa: E402
from archreview.cache import Cache  # noqa: E402
from archreview.engine import available_cpus  # noqa: E402
from archreview.scan import config_for  # noqa: E402
from archreview.selection import Selector  # noqa: E402
from archreview.snapshot import open_snapshot  # noqa: E402

TARGET_WARM = 2.0
DEFAULT_DB = ROOT.parent / "shared" / "data" / "pypa-advisory-database"


def pins(db: Path, count: int) -> list[str]:
    lines = []
    for folder in sorted((db / "vulns").iterdir()):
        if len(lines) >= count:
            break
        for path in sorted(folder.glob("*.yaml")):
            record = yaml.safe_load(path.read_text())
            versions = [v for a in record.get("affected", []) for v in a.get("versions", [])]
            if versions:
                lines.append(f"{folder.name}=={versions[len(versions) // 2]}")
                break
    n = 0
    while len(lines) < count:  # fewer packages than asked: pad with unknown names
        lines.append(f"bench-filler-{n}==1.0.{n}")
        n += 1
    return lines


def make_repo(where: Path, lines: list[str]) -> str:
    where.mkdir(parents=True)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2025-01-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2025-01-01T12:00:00+00:00"}
    run = lambda *args: subprocess.run(["git", *args], cwd=where, env=env, check=True, capture_output=True, text=True)  # noqa: E731
    run("init", "-q", "-b", "main")
    (where / "requirements.txt").write_text("\n".join(lines) + "\n")
    run("add", "-A")
    run("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "pins")
    return run("rev-parse", "HEAD").stdout.strip()


def audit(repo: Path, db: Path, cache_dir: Path) -> tuple[float, dict]:
    snapshot = open_snapshot(repo)
    config = config_for(snapshot)
    cache = Cache(cache_dir)
    reader = snapshot.open_reader()
    try:
        context = RepoContext(
            snapshot=snapshot,
            reader=reader,
            config=config,
            file_results={},
            files=[],
            options={"offline": True, "advisory_db": str(db), "now": None},
            cache=cache,
            selector=Selector.from_config(config),
        )
        started = time.perf_counter()
        output = DependenciesAnalyzer().run(context)
        elapsed = time.perf_counter() - started
    finally:
        reader.close()
        cache.close()
    return elapsed, output.sections


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("ARCHREVIEW_ADVISORY_DB", DEFAULT_DB)))
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    if not args.db.is_dir():
        print(f"advisory database not found: {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="archreview-bench-deps-") as tmp:
        tmp = Path(tmp)
        lines = pins(args.db, args.count)
        commit = make_repo(tmp / "repo", lines)
        cold, sections = audit(tmp / "repo", args.db, tmp / "cache")
        warm, _ = audit(tmp / "repo", args.db, tmp / "cache")
        rows = sections["dependencies"]
        vulnerable = sum(1 for r in rows if r["vulns"])
        advisories = sum(len(r["vulns"] or []) for r in rows)
    print("dependencies benchmark: offline audit against a local OSV database")
    print(f"  repository     synthetic requirements.txt, {len(rows)} pinned requirements (commit {commit[:12]})")
    print(f"  database       {args.db}")
    print(f"  machine        {available_cpus()} cores, Python {platform.python_version()}")
    print(f"  matched        {vulnerable} vulnerable pins, {advisories} advisories")
    print(f"  cold           {cold:6.2f} s   (parse the database, no target)")
    print(f"  warm           {warm:6.2f} s   target <= {TARGET_WARM:.1f} s   {'OK' if warm <= TARGET_WARM else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
