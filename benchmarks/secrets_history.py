"""How long the secrets history pass takes on a real repository, cold (empty
cache) and warm (same revision again), and on the next revision when only a
little history is new.

    python benchmarks/secrets_history.py SALEOR_CLONE --rev 723cd4eba87d

Prints the repository, commit, cores, Python version and each figure with
its target. The pass runs on its own (no file analysis), with the default
settings unless --seconds is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from archreview.analyzers.base import RepoContext
from archreview.analyzers.secrets_history import SecretsHistoryAnalyzer
from archreview.cache import Cache
from archreview.config import parse_config
from archreview.gitrepo import GitRepo
from archreview.selection import Selector
from archreview.snapshot import open_snapshot, revision_snapshot

TARGETS = {
    "cold": "at most the history_seconds budget (default 20 s), never more than a scan",
    "warm": "under 1 s (one cache lookup)",
    "next revision": "a few seconds: listing the history plus the new versions",
}


def run_once(snapshot, config, cache) -> tuple[float, dict, int]:
    context = RepoContext(
        snapshot=snapshot,
        reader=snapshot.open_reader(),
        config=config,
        file_results={},
        files=[],
        options={},
        cache=cache,
        selector=Selector.from_config(config),
    )
    started = time.perf_counter()
    try:
        output = SecretsHistoryAnalyzer().run(context)
    finally:
        context.reader.close()
    return time.perf_counter() - started, output.sections.get("secrets_history", {}), len(output.findings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--seconds", type=float, default=None, help="history_seconds (default: the built-in default)")
    args = parser.parse_args()
    section = {} if args.seconds is None else {"history_seconds": args.seconds}
    config = parse_config({"secrets": section}, "benchmark")
    snapshot = open_snapshot(args.repo, rev=args.rev)
    repo = GitRepo(args.repo)
    try:
        commits = int(repo.git.rev_list("--count", snapshot.revision))
        parent = repo.git.rev_parse(f"{snapshot.revision}~20")
        previous = revision_snapshot(repo, parent)
    finally:
        repo.close()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    print(f"repository     {Path(args.repo).resolve()}")
    print(f"commit         {snapshot.revision} ({commits:,} commits)")
    print(f"cores          {cores}")
    print(f"python         {platform.python_version()} ({sys.implementation.name})")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(tmp)
        try:
            seconds, info, found = run_once(previous, config, cache)
            print(
                f"cold           {seconds:7.2f} s  {info.get('versions_checked', 0):,} of {info.get('versions_total', 0):,} old versions, "
                f"{found} findings, status {info.get('status')}  (target: {TARGETS['cold']}; revision 20 commits back)"
            )
            seconds, info, found = run_once(previous, config, cache)
            print(f"warm           {seconds:7.2f} s  status {info.get('status')}, {found} findings  (target: {TARGETS['warm']})")
            seconds, info, found = run_once(snapshot, config, cache)
            print(
                f"next revision  {seconds:7.2f} s  {info.get('from_cache', 0):,} of {info.get('versions_total', 0):,} versions from the cache, "
                f"{found} findings  (target: {TARGETS['next revision']})"
            )
        finally:
            cache.close()


if __name__ == "__main__":
    main()
