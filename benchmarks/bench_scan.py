"""Scan cost against the radon and bandit command lines and the parse floor.

    python benchmarks/bench_scan.py --repo PATH --rev REV [--repo PATH --rev REV ...]
                                    [--stall-files PATH:REV:FILE,FILE,...] [--skip-cli]

For each repository (a git work tree or bare repository) and revision it
prints, with the default excludes:

* the same files' cost with ``radon cc -j``, ``radon mi -j``, ``radon raw -j``
  (leaving out the files radon's raw analysis cannot finish in 5 s, which it
  lists) and ``bandit -f json`` (the files archreview runs bandit on);
* one single-process ``ast.parse`` pass over the same files (the floor);
* ``archreview scan`` cold (empty cache), warm (same revision) and after one
  changed file; peak memory of the whole process tree (parent + workers);
* where the time goes (``--profile``: CPU per stage, slowest files);
* parity: cc_max per file against radon cc, raw counts and MI against
  radon raw/mi, and (path, line, test id) against bandit.

Scans run with ``--offline --advisory-db`` (the shared advisory snapshot): the
dependency audit is done, from local data, and package-index lookups - whose
time depends on the network, not on the code, and whose answers are cached for
a day - are left out; ``--online`` puts them back.

The cold scan is printed whole, with how long its history reading took
(secrets in old versions, activity): those steps run in threads alongside
the file analysis, so they are not a separate slice of the wall time, and
the repository-wide analyzers' time after the files.

``--stall-files`` scans the given files alone, in a small repository under
names no default exclude hides, and compares with radon's raw analysis.

Nothing here is a test: figures depend on the machine. Each figure is printed
next to its target.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from archreview.config import load_config
from archreview.selection import Selector, is_python_path
from archreview.snapshot import STATUS_OK, open_snapshot

PY = sys.executable
RADON_LIMIT = 5.0
ADVISORY_DB = Path(__file__).resolve().parents[2] / "shared" / "data" / "pypa-advisory-database"
NETWORK: list[str] = ["--offline", "--advisory-db", str(ADVISORY_DB)]


def phase_seconds(profile: str, name: str) -> float:
    """A phase's wall seconds from the ``--profile`` table (0 when absent)."""
    for line in profile.splitlines():
        parts = line.rsplit(None, 1)
        if len(parts) == 2 and parts[0].strip() == name:
            try:
                return float(parts[1])
            except ValueError:
                return 0.0
    return 0.0


class PeakMemory:
    """Samples the RSS of a process and all its children, summed, ten times a
    second (each sample walks the process table: sampling every 20 ms took
    6 % of a core away from the scan it measures)."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_timed(cmd: list[str], stdout_path: Path | None = None, env=None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the process tree, stderr."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    with PeakMemory(proc.pid) as mem:
        _, err = proc.communicate()
    wall = time.perf_counter() - started
    if stdout_path:
        out.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}): {err.decode()[-2000:]}")
    return wall, mem.peak, err.decode("utf-8", "replace")


def select_files(repo: str, rev: str):
    snapshot = open_snapshot(repo, rev=rev)
    config = load_config(None)
    selector = Selector.from_config(config)
    chosen = []
    for ref in snapshot.files:
        if not is_python_path(ref.path) or ref.status != STATUS_OK or selector.excluded_by(ref.path):
            continue
        if ref.size is not None and ref.size > config.max_file_size:
            continue
        chosen.append((ref, selector.role(ref.path)))
    return snapshot, chosen


def export(snapshot, chosen, target: Path) -> dict[str, str]:
    reader = snapshot.open_reader()
    texts = {}
    try:
        for ref, _ in chosen:
            data = reader.read(ref)
            if data is None:
                continue
            dest = target / ref.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            try:
                texts[ref.path] = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
    finally:
        reader.close()
    return texts


def parse_floor(texts: dict[str, str]) -> tuple[float, set[str]]:
    parsed = set()
    total = 0.0
    for path, text in texts.items():
        started = time.perf_counter()
        try:
            ast.parse(text)
            parsed.add(path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
        total += time.perf_counter() - started
    return total, parsed


RADON_PROBE = r"""
import json, signal, sys
from radon.raw import analyze
class Slow(Exception): pass
def alarm(*_): raise Slow()
signal.signal(signal.SIGALRM, alarm)
slow, failed = [], []
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8", errors="replace").read()
    signal.setitimer(signal.ITIMER_REAL, float(sys.argv[1]))
    try:
        analyze(text)
    except Slow:
        slow.append(path)
    except Exception:
        failed.append(path)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
print(json.dumps({"slow": slow, "failed": failed}))
"""


def radon_slow_files(tree: Path, paths: list[str]) -> tuple[list[str], list[str], float]:
    started = time.perf_counter()
    out = subprocess.run(
        [PY, "-c", RADON_PROBE, str(RADON_LIMIT), *paths], cwd=tree, capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout)
    return data["slow"], data["failed"], time.perf_counter() - started


def one_changed_commit(repo: str, rev: str, path: str, workdir: Path) -> tuple[str, str]:
    """A clone sharing the repository's objects, with one new commit that
    changes ``path``; returns (clone path, commit id). Nothing is written to
    the original repository."""
    clone = workdir / "clone.git"
    if clone.exists():
        shutil.rmtree(clone)
    subprocess.run(["git", "clone", "-q", "--bare", "--shared", "--no-tags", repo, str(clone)], check=True)
    env = dict(os.environ, GIT_DIR=str(clone), GIT_INDEX_FILE=str(workdir / "bench-index"))
    git = lambda *a, **kw: subprocess.run(["git", *a], env=env, capture_output=True, check=True, **kw).stdout.decode().strip()  # noqa: E731
    git("read-tree", rev)
    content = git("cat-file", "blob", f"{rev}:{path}") + "\n\ndef _benchmark_change():\n    return 1\n"
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], env=env, input=content.encode(), capture_output=True, check=True).stdout.decode().strip()
    git("update-index", "--cacheinfo", f"100644,{blob},{path}")
    tree = git("write-tree")
    commit = subprocess.run(
        ["git", "commit-tree", tree, "-p", rev, "-m", "benchmark change"],
        env=dict(env, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com"),
        capture_output=True, check=True,
    ).stdout.decode().strip()
    return str(clone), commit


def ratio_line(label: str, value: float, target: float, unit: str = "", lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return f"  {label:<58} {value:9.3f}{unit}   target {'<=' if lower_is_better else '>='} {target:g}{unit}   {'OK' if ok else 'MISSED'}"


def bench_repo(repo: str, rev: str, workdir: Path, skip_cli: bool) -> dict:
    name = Path(repo).resolve().name
    if name in ("repo", ".git"):
        name = Path(repo).resolve().parent.name
    work = workdir / name
    if work.exists():
        shutil.rmtree(work)
    tree = work / "tree"
    tree.mkdir(parents=True)
    snapshot, chosen = select_files(repo, rev)
    texts = export(snapshot, chosen, tree)
    lines = sum(t.count("\n") + 1 for t in texts.values())
    print(f"\n== {name} @ {snapshot.revision[:12]}  ({len(chosen)} Python files after default excludes, {lines:,} lines)")
    floor, parsed = parse_floor(texts)
    print(f"  ast.parse, one process, same files: {floor:.2f} s ({len(parsed)} parse)")

    # archreview: cold, warm, one change
    cache = work / "cache"
    base = [PY, "-m", "archreview", "scan", repo, "--rev", rev, "--format", "json", "--cache-dir", str(cache), "--no-progress", *NETWORK]
    cold_wall, cold_mem, profile = run_timed([*base, "--profile", "-o", str(work / "cold.json")])
    warm_wall, _, _ = run_timed([*base, "-o", str(work / "warm.json")])
    result = json.loads((work / "cold.json").read_text())
    source = sorted((f for f in result["files"] if f["role"] == "source"), key=lambda f: f["sloc"])
    changed_path = source[len(source) // 2]["path"]
    clone, commit = one_changed_commit(repo, rev, changed_path, work)
    change_wall, _, _ = run_timed([PY, "-m", "archreview", "scan", clone, "--rev", commit, "--format", "json", "--cache-dir", str(cache), "--no-progress", *NETWORK, "-o", str(work / "changed.json")])
    skipped = result["coverage"]["skipped"]

    figures = {
        "name": name,
        "commit": snapshot.revision,
        "files": len(chosen),
        "lines": lines,
        "floor": floor,
        "cold": cold_wall,
        "warm": warm_wall,
        "change": change_wall,
        "memory": cold_mem,
        "repo_analyzers": phase_seconds(profile, "repository analyzers"),
    }
    ahead = {name: phase_seconds(profile, f"{name}: read ahead") for name in ("secrets-history", "activity")}
    print(f"  archreview cold {cold_wall:.2f} s, warm {warm_wall:.2f} s, one changed file ({changed_path}) {change_wall:.2f} s")
    print(
        "  cold: history read alongside the file analysis in "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in ahead.items())
        + f"; repository-wide analyzers after the files {figures['repo_analyzers']:.2f} s"
    )
    print(f"  peak memory, parent + workers: {cold_mem / 2**20:.0f} MiB")
    print(f"  skipped by archreview ({len(skipped)}):")
    for s in skipped:
        print(f"    {s['path']}: {s['reason']}")
    print("  --profile of the cold scan:")
    print("    " + profile.strip().replace("\n", "\n    "))

    if not skip_cli:
        py_paths = sorted(texts)
        bandit_paths = sorted(r.path for r, role in chosen if role == "source" and r.path in texts)
        slow, failed, probe_time = radon_slow_files(tree, py_paths)
        print(f"  radon's raw analysis cannot finish in {RADON_LIMIT:g} s ({len(slow)} files, left out of the CLI runs; probe {probe_time:.0f} s):")
        for p in slow:
            print(f"    {p}")
        if failed:
            print(f"  radon's raw analysis raises on {len(failed)} files: {', '.join(failed[:10])}")
        radon_paths = [p for p in py_paths if p not in set(slow)]
        cli = {}
        for label, cmd in (
            ("radon cc -j", [PY, "-m", "radon", "cc", "-j", *radon_paths]),
            ("radon mi -j", [PY, "-m", "radon", "mi", "-j", *radon_paths]),
            ("radon raw -j", [PY, "-m", "radon", "raw", "-j", *radon_paths]),
            ("bandit -f json", [PY, "-m", "bandit", "-f", "json", "-q", *bandit_paths]),
        ):
            out_file = work / (label.split()[0] + "-" + label.split()[1] + ".json")
            old = os.getcwd()
            os.chdir(tree)
            try:
                wall, _, _ = run_timed(cmd, out_file)
            finally:
                os.chdir(old)
            cli[label] = (wall, out_file)
            print(f"  {label:<16} {wall:8.2f} s")
        cli_sum = sum(w for w, _ in cli.values())
        figures["cli_sum"] = cli_sum
        print(f"  sum of the four command lines: {cli_sum:.2f} s")
        parity(result, cli, set(slow))
    return figures


def parity(result: dict, cli: dict, slow: set[str]) -> None:
    files = {f["path"]: f for f in result["files"]}
    cc = json.loads(cli["radon cc -j"][1].read_text())
    raw = json.loads(cli["radon raw -j"][1].read_text())
    mi = json.loads(cli["radon mi -j"][1].read_text())
    cc_same = cc_total = 0
    for path, blocks in cc.items():
        path = path.removeprefix("./")
        if not isinstance(blocks, list) or path not in files:
            continue
        cc_total += 1
        ccs = [b["complexity"] for b in blocks if b["type"] in ("function", "method")]
        cc_same += files[path]["cc_max"] == max(ccs, default=0)
    raw_same = raw_total = 0
    raw_diffs = []
    for path, counts in raw.items():
        path = path.removeprefix("./")
        if "error" in counts or path not in files:
            continue
        raw_total += 1
        same = all(files[path][k] == counts[k] for k in ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments"))
        raw_same += same
        if not same:
            raw_diffs.append(path)
    mi_same = mi_total = 0
    for path, value in mi.items():
        path = path.removeprefix("./")
        if "error" in value or path not in files:
            continue
        mi_total += 1
        mi_same += abs(files[path]["mi"] - value["mi"]) <= 0.01
    bandit = json.loads(cli["bandit -f json"][1].read_text())
    theirs = {(r["filename"].removeprefix("./"), r["line_number"], r["test_id"]) for r in bandit["results"]}
    ours = {(f["path"], f["line"], f["rule"].split(".", 1)[1]) for f in result["findings"] if f["area"] == "security"}
    print("  parity with the command lines (files radon finishes):")
    print(f"    cc_max per file equal to radon cc: {cc_same}/{cc_total}")
    print(f"    raw counts equal to radon raw:     {raw_same}/{raw_total} ({raw_same / max(raw_total, 1):.2%}; target >= 99.5%)")
    for p in raw_diffs[:10]:
        print(f"      differs: {p}")
    print(f"    MI within 0.01 of radon mi:        {mi_same}/{mi_total} ({mi_same / max(mi_total, 1):.2%}; target >= 99.5%)")
    print(f"    bandit (path, line, test id): ours {len(ours)}, CLI {len(theirs)}, equal: {ours == theirs}")
    for item in sorted(ours ^ theirs)[:10]:
        print(f"      only in {'ours' if item in ours else 'CLI'}: {item}")


def bench_stall_files(spec: str, workdir: Path) -> None:
    repo, rev, files = spec.split(":", 2)
    paths = files.split(",")
    from archreview.snapshot import open_snapshot as _open

    snapshot = _open(repo, rev=rev)
    by_path = {f.path: f for f in snapshot.files}
    reader = snapshot.open_reader()
    small = workdir / "stall-repo"
    if small.exists():
        shutil.rmtree(small)
    small.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(small)], check=True)
    texts = {}
    for i, path in enumerate(paths):
        data = reader.read(by_path[path])
        target = small / "data" / f"module_{i}.py"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        texts[path] = data.decode("utf-8")
    reader.close()
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com")
    subprocess.run(["git", "-C", str(small), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(small), "commit", "-qm", "files"], check=True, env=env)
    wall, _, _ = run_timed([PY, "-m", "archreview", "scan", str(small), "--no-cache", "--format", "json", "-o", str(workdir / "stall.json")])
    result = json.loads((workdir / "stall.json").read_text())
    print(f"\n== {len(paths)} files radon cannot finish, alone in a small repository")
    for path, text in texts.items():
        print(f"  {path}: {text.count(chr(10)):,} lines")
    print(f"  analysed {result['coverage']['analyzed']}/{len(paths)}, skipped {len(result['coverage']['skipped'])}")
    print(ratio_line("archreview scan, cold, total wall seconds", wall, 2.0, " s"))
    radon_total = 0.0
    for path, text in texts.items():
        started = time.perf_counter()
        try:
            subprocess.run([PY, "-c", "import sys; from radon.raw import analyze; analyze(sys.stdin.read())"], input=text, text=True, timeout=30, capture_output=True)
            spent = time.perf_counter() - started
        except subprocess.TimeoutExpired:
            spent = 30.0
        radon_total += spent
        print(f"    radon raw on {path}: {spent:.1f} s{' (stopped at 30 s)' if spent >= 30 else ''}")
    print(f"  radon raw total: at least {radon_total:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", action="append", default=[])
    parser.add_argument("--rev", action="append", default=[])
    parser.add_argument("--stall-files", default=None)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--online", action="store_true", help="let scans ask the package index and vulnerability service")
    args = parser.parse_args()
    if args.online:
        NETWORK.clear()
    elif not ADVISORY_DB.is_dir():
        sys.exit(f"bench_scan: no advisory database at {ADVISORY_DB} (or pass --online)")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="archreview-bench-"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"archreview scan benchmark: Python {platform.python_version()}, {cores} cores, {platform.machine()}")
    results = [bench_repo(repo, rev, workdir, args.skip_cli) for repo, rev in zip(args.repo, args.rev)]
    print("\n== figures against targets")
    for r in results:
        print(f"{r['name']} @ {r['commit'][:12]}")
        if "cli_sum" in r:
            print(ratio_line("cold / sum of radon cc+mi+raw and bandit CLIs", r["cold"] / r["cli_sum"], 0.2, "x"))
        print(ratio_line("cold / one single-process ast.parse pass", r["cold"] / r["floor"], 8.0, "x"))
        print(ratio_line("warm rescan / cold", r["warm"] / r["cold"], 0.03, "x"))
        print(ratio_line("one changed file / cold", r["change"] / r["cold"], 0.05, "x"))
        print(ratio_line("peak memory of the process tree (MiB)", r["memory"] / 2**20, 1024, ""))
        print(f"  cold cost per 1k lines: {r['cold'] / r['lines'] * 1000:.3f} s")
    if len(results) >= 2:
        base, other = results[0], results[1]
        per_k = lambda r: r["cold"] / r["lines"] * 1000  # noqa: E731
        print(ratio_line(f"{other['name']} cold per 1k lines / {base['name']}'s", per_k(other) / per_k(base), 1.3, "x"))
    if args.stall_files:
        bench_stall_files(args.stall_files, workdir)


if __name__ == "__main__":
    main()
