"""What a pre-commit hook costs: ``archreview check`` on a commit of 10 files
of a large repository, interpreter start included.

    python benchmarks/bench_check.py REPO [--rev REV] [--files N] [--repeat N]

Default revision: 723cd4eba87d, for a clone of github:saleor/saleor. The
repository is cloned with ``git clone --shared`` into a temporary folder and
N Python files of product code (spread over the tree, 2-40 KiB) are modified
and staged. Figures (median of the repeats, wall seconds of the whole
``archreview check`` process as a hook runs it):

* warm: the same staged change checked again (the cache holds the HEAD and
  the staged versions: a hook run again after a fix elsewhere, or
  ``pre-commit run`` twice) - the target, <= 1 s;
* base warm: the HEAD versions are in the cache (an earlier scan or check),
  the staged versions are new and analysed - a first commit of an edit;
* cold: empty cache (both versions analysed);
* floors: ``python -c pass``, importing the command line, and what
  ``python -X importtime`` says the warm run spends importing.

Nothing here is a test: figures depend on the machine, which is shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_REV = "723cd4eba87d"
TARGET = 1.0


def git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:3])} failed: {done.stderr.strip()}")
    return done.stdout


def check_command() -> list[str]:
    """How the hook calls it: the installed console script when it runs this
    code, else ``python -m archreview``."""
    script = shutil.which("archreview", path=str(Path(sys.executable).parent))
    if script and not os.environ.get("PYTHONPATH"):
        return [script, "check"]
    return [sys.executable, "-m", "archreview", "check"]


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def choose_files(clone: Path, count: int) -> list[str]:
    listing = git(clone, "ls-tree", "-r", "-l", "HEAD").splitlines()
    candidates = []
    for line in listing:
        meta, path = line.split("\t", 1)
        size = int(meta.split()[3])
        if not path.endswith(".py") or path.startswith(".") or "/tests/" in f"/{path}" or "/migrations/" in path or "test_" in path.rsplit("/", 1)[-1]:
            continue
        if 2048 <= size <= 40 * 1024:
            candidates.append(path)
    candidates.sort()
    step = max(1, len(candidates) // count)
    return candidates[::step][:count]


def edit(clone: Path, paths: list[str], tag: str) -> None:
    """A realistic small change: one new function at the end of each file."""
    for path in paths:
        original = git(clone, "show", f"HEAD:{path}")
        (clone / path).write_text(original + f"\n\ndef _bench_{tag}(value):\n    return value * 2\n", encoding="utf-8")
    git(clone, "add", "--", *paths)


def import_profile(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, list[tuple[str, float]]]:
    """Total import time of a run and the most expensive top-level imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]] if cmd[0] == sys.executable else [sys.executable, "-X", "importtime", "-m", "archreview", *cmd[1:]], cwd=cwd, env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((len(match.group(3)), match.group(4), int(match.group(2)) / 1e6))
    top = [(name, cumulative) for depth, name, cumulative in rows if depth == 1]
    total = sum(c for _, c in top)
    packages: dict[str, float] = {}
    for name, cumulative in top:
        key = name.split(".")[0]
        packages[key] = packages.get(key, 0.0) + cumulative
    return total, sorted(packages.items(), key=lambda kv: -kv[1])[:8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", help="a clone (bare is fine) of github:saleor/saleor or any large repository")
    parser.add_argument("--rev", default=DEFAULT_REV)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        work = Path(tmp)
        clone = work / "clone"
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", args.repo, str(clone)], check=True)
        git(clone, "checkout", "-q", "--detach", args.rev)
        commit = git(clone, "rev-parse", "HEAD").strip()
        paths = choose_files(clone, args.files)
        tracked = len(git(clone, "ls-files", "-z").split("\0")) - 1
        cmd = check_command()
        env = dict(os.environ, ARCHREVIEW_CACHE_DIR=str(work / "cache"))
        env.pop("CI", None)
        # an installed archreview has its bytecode compiled; so must the code measured here
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "src")], env=env, check=False)
        subprocess.run([sys.executable, "-c", "import archreview.cli"], env=env, check=False)

        print(f"repository {args.repo} @ {commit[:12]} ({tracked:,} tracked files)")
        print(f"cores {os.cpu_count()} (load average {os.getloadavg()[0]:.1f}), Python {platform.python_version()}, command: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
        print(f"staged: {len(paths)} modified Python files, {sum((clone / p).stat().st_size for p in paths) / 1024:.0f} KiB")

        cold = []
        base_warm = []
        for i in range(args.repeat):
            shutil.rmtree(work / "cache", ignore_errors=True)
            edit(clone, paths, f"cold{i}")
            wall, done = timed(cmd, clone, env)
            if done.returncode not in (0, 1):
                raise SystemExit(f"check failed ({done.returncode}): {done.stderr.strip()}")
            cold.append(wall)
        for i in range(args.repeat):
            edit(clone, paths, f"new{i}")  # HEAD versions cached by the cold runs, staged versions new
            base_warm.append(timed(cmd, clone, env)[0])
        warm = [timed(cmd, clone, env)[0] for _ in range(args.repeat)]
        floor_python = [timed([sys.executable, "-c", "pass"], clone, env)[0] for _ in range(args.repeat)]
        floor_cli = [timed([sys.executable, "-c", "import archreview.cli"], clone, env)[0] for _ in range(args.repeat)]
        import_total, import_top = import_profile(cmd, clone, env)

        def row(label: str, values: list[float], target: float | None = None) -> None:
            median = statistics.median(values)
            verdict = f"   target <= {target:g} s: {'met' if median <= target else 'MISSED'}" if target else ""
            print(f"  {label:<44} {median:6.3f} s  (min {min(values):.3f}){verdict}")

        print(f"wall seconds, median of {args.repeat}:")
        row("warm (same staged change again)", warm, TARGET)
        row("base warm, staged versions new", base_warm)
        row("cold (empty cache)", cold)
        row("floor: python -c pass", floor_python)
        row("floor: python -c 'import archreview.cli'", floor_cli)
        print(f"imports of one warm run (python -X importtime, inflates them): {import_total:.3f} s; by top-level package:")
        for name, seconds in import_top:
            print(f"    {name:<24} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
