"""Speed of the history features on a real repository with years of history.

Measures, in one run and one at a time:

1. a cold scan of HEAD (empty cache);
2. ``archreview backfill --months N`` with an empty cache (the 12 months
   before the month of HEAD's commit, so the run does not depend on today);
3. the same backfill after the scan of HEAD (its cache reused);
4. the activity pass: listing every commit and ``git log -p -U0`` over all
   of them, with no cache;
5. ``wily build -n N`` on a clone of the same repository (wily needs a work
   tree and a separate virtualenv: ``python -m venv venv-wily &&
   venv-wily/bin/pip install wily``, then ``--wily venv-wily/bin/wily``).

Scans run with ``--offline`` (no package index lookups: the figures are
about the code and its history). Prints each figure with its target: backfill <= 2x the cold scan,
wily >= 10x the backfill, activity pass over 15k commits <= 10 s. Wall
seconds are the figures the targets speak of; CPU seconds (this process's
children, git and the worker pools included) are printed beside them because
the machine may be shared.

    python benchmarks/bench_history.py NETBOX_CLONE [--wily PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import processtree  # noqa: E402  (benchmarks/processtree.py)


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None, timeout: float | None = None):
    """(wall s, CPU s of the whole process tree, completed process or None on timeout)."""
    return processtree.run(cmd, env=env, cwd=cwd, timeout=timeout)


def archreview(*args: str, cache: Path) -> list[str]:
    return [sys.executable, "-m", "archreview", *args]


def env_with(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["ARCHREVIEW_CACHE_DIR"] = str(cache)
    env.pop("CI", None)
    return env


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir(repo), *args], capture_output=True, text=True, check=True).stdout


def git_dir(repo: str) -> str:
    out = subprocess.run(["git", "-C", repo, "rev-parse", "--absolute-git-dir"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def month_before(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone(timezone.utc)
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def check(name: str, value: float, target: str, ok: bool) -> None:
    print(f"  {name:<44} {value:10.2f}   target {target:<10} {'met' if ok else 'NOT MET'}")


def activity_pass(repo: str) -> tuple[float, float, int, int]:
    sys.path.insert(0, str(SRC))
    from archreview.analyzers.activity import gitlog
    from archreview.engine import available_cpus
    from archreview.gitrepo import GitRepo

    handle = GitRepo(repo)
    cpu0 = processtree.cpu_children() + time.process_time()
    wall0 = time.perf_counter()
    commits = gitlog.list_commits(handle, "HEAD")
    stats = gitlog.LogStats()
    gitlog.file_changes(handle, commits, None, jobs=available_cpus(), stats=stats)
    wall = time.perf_counter() - wall0
    cpu = processtree.cpu_children() + time.process_time() - cpu0
    handle.close()
    return wall, cpu, len(commits), stats.missing_blob_commits


def wily_clone(repo: str, target: Path) -> None:
    """A work tree for wily. Blobs missing from the repository at HEAD are left
    out of the checkout (sparse checkout), or git could not check it out."""
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["git", "clone", "-q", "--no-checkout", repo, str(target)], check=True, capture_output=True)
    entries = git(str(target), "ls-tree", "-r", "HEAD").splitlines()
    oids = "\n".join(line.split()[2] for line in entries) + "\n"
    checked = subprocess.run(
        ["git", "-C", str(target), "cat-file", "--batch-check"], input=oids, capture_output=True, text=True
    ).stdout
    missing = {line.split()[0] for line in checked.splitlines() if line.endswith("missing")}
    skip = [line.split("\t", 1)[1] for line in entries if line.split()[2] in missing]
    if skip:
        subprocess.run(["git", "-C", str(target), "sparse-checkout", "init", "--no-cone"], check=True, capture_output=True)
        patterns = ["/*"] + [f"!/{path}" for path in skip]
        (target / ".git" / "info" / "sparse-checkout").write_text("\n".join(patterns) + "\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "HEAD"], capture_output=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "-B", "bench"], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", help="a clone (bare is fine) with years of history, e.g. github:netbox-community/netbox")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--wily", default=shutil.which("wily") or "wily", help="wily executable (its own virtualenv; default: wily on PATH)")
    parser.add_argument("--wily-timeout", type=float, default=3600.0)
    parser.add_argument("--skip-wily", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args()

    repo = args.repo
    head = git(repo, "rev-parse", "HEAD").strip()
    head_date = git(repo, "show", "-s", "--format=%cI", "HEAD").strip()
    until = month_before(head_date)
    commits = int(git(repo, "rev-list", "--count", "HEAD").strip())
    print("archreview history benchmark")
    print(f"  repository   {repo}")
    print(f"  commit       {head} ({head_date}), {commits} commits")
    print(f"  backfill     {args.months} months up to {until}")
    print(f"  cores        {len(os.sched_getaffinity(0))}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"  CPU figures  {'whole process tree' if processtree.EXACT else 'waited-for processes only (workers may be left out)'}")
    print(f"  python       {platform.python_version()}; {subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}")
    work = Path(tempfile.mkdtemp(prefix="archreview-bench-"))
    try:
        cold_cache, backfill_cache = work / "cache-head", work / "cache-backfill"
        wall_scan, cpu_scan, proc = timed(
            archreview(
                "scan", repo, "--offline", "--format", "json", "-o", str(work / "head.json"), "--no-progress", cache=cold_cache
            ),
            env=env_with(cold_cache),
        )
        if proc.returncode != 0:
            print(proc.stderr)
            return 1
        head_result = json.loads((work / "head.json").read_text(encoding="utf-8"))
        skipped = [s for s in head_result["coverage"]["skipped"] if "missing" in s["reason"]]
        print(f"\ncold scan of HEAD: {wall_scan:.1f} s wall, {cpu_scan:.1f} s CPU; "
              f"{head_result['coverage']['analyzed']} files analysed; skipped as missing: "
              f"{', '.join(s['path'] for s in skipped) or 'none'}")

        backfill = ["backfill", repo, "--offline", "--months", str(args.months), "--until", until, "--no-progress"]
        wall_bf, cpu_bf, proc = timed(
            archreview(*backfill, "--history-dir", str(work / "history"), cache=backfill_cache), env=env_with(backfill_cache)
        )
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr)
            return 1
        print(f"backfill, empty cache: {wall_bf:.1f} s wall, {cpu_bf:.1f} s CPU")
        for line in proc.stdout.splitlines():
            print(f"    {line}")
        size = sum(p.stat().st_size for p in (work / "history").glob("*.json"))
        print(f"    history written: {size / 1024:.0f} KiB for {args.months} months")

        wall_warm, cpu_warm, proc = timed(
            archreview(*backfill, "--history-dir", str(work / "history-warm"), cache=cold_cache), env=env_with(cold_cache)
        )
        print(f"backfill after the scan of HEAD (its cache reused): {wall_warm:.1f} s wall, {cpu_warm:.1f} s CPU")

        wall_act, cpu_act, n_commits, missing = activity_pass(repo)
        print(f"activity pass, no cache: {n_commits} commits in {wall_act:.1f} s wall, {cpu_act:.1f} s CPU "
              f"({missing} commits touch missing blobs)")

        wall_wily = cpu_wily = None
        if not args.skip_wily and shutil.which(args.wily):
            clone = work / "wily-clone"
            wily_clone(repo, clone)
            version = subprocess.run([args.wily, "--version"], capture_output=True, text=True).stdout.strip()
            wall_wily, cpu_wily, proc = timed(
                [args.wily, "build", ".", "-n", str(args.months)], cwd=str(clone), timeout=args.wily_timeout
            )
            state = "finished" if proc is not None and proc.returncode == 0 else (
                "stopped at the time limit" if proc is None else f"failed ({proc.returncode})"
            )
            print(f"wily build -n {args.months} ({version}): {wall_wily:.1f} s wall, {cpu_wily:.1f} s CPU, {state}")

        print("\nfigures (wall seconds; CPU-based ratio in brackets)")
        ratio = wall_bf / wall_scan
        check(f"backfill {args.months} months / cold scan of HEAD", ratio, "<= 2", ratio <= 2)
        print(f"    [CPU {cpu_bf / cpu_scan:.2f}; after the HEAD scan {wall_warm / wall_scan:.2f} wall, {cpu_warm / cpu_scan:.2f} CPU]")
        if wall_wily is not None:
            ratio = wall_wily / wall_bf
            check(f"wily build -n {args.months} / backfill", ratio, ">= 10", ratio >= 10)
            print(f"    [CPU {cpu_wily / cpu_bf:.2f}]")
        check(f"activity pass over {n_commits} commits (s)", wall_act, "<= 10", wall_act <= 10)
        print(f"  load average at end {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
