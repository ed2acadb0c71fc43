"""Secrets that were committed and later removed: they are still in git, so
they are still findings.

Python files - most of a repository's history - are checked through what
each commit added to them: the ``git log -p`` pass that also counts lines
for the activity measures hands each file's added lines to the ``secrets``
analyzer (:mod:`.python_history`, :mod:`.secrets_added`; kept per commit, so
next month only new commits are read). Every other old version is read
whole:

1. ``git rev-list --objects`` lists every blob reachable from the scanned
   revision (one pass, no checkout; a scan of a descendant starts from the
   listing kept for its ancestor, :mod:`.blob_listing`); the blobs of the
   snapshot itself are left out (the ``secrets`` file analyzer has seen
   them), as are Python files (checked through their commits' added lines),
   paths that analyzer does not want, excluded paths and versions larger
   than ``history_max_file_size``.
2. Each remaining old version is looked up in the cache, so a version seen
   in any earlier scan - of history or of a snapshot - costs nothing: old
   versions in which nothing was found are kept as one compact set per
   configuration (a ``kv`` entry; most of history is clean, and one row per
   blob would cost more to write than to scan), the others under the
   ``secrets`` analyzer's own per-blob key, shared with snapshot scans. The
   rest are read through one pipelined ``git cat-file --batch`` and scanned
   with the same detection code, newest history first, until
   ``history_seconds`` have passed; the next scans check what is left. Many
   versions (``PARALLEL_MIN``) are split into interleaved shares, one per
   job: this process scans one, fresh processes the others, each with its
   own ``git cat-file``.
3. The same secret in many versions of a file is one finding, reported at the
   version that introduced it (the oldest commit that wrote one of those
   versions, from a ``git log`` limited to those paths; for a Python file,
   the oldest commit that added it). A secret that is still in the scanned
   files is not reported again (nor one still in a Python file that was
   renamed since).
4. The findings of a complete pass are kept per revision, so scanning the same
   revision again costs one cache lookup.

A plain folder has no history; staged-file checks (pre-commit) skip history;
a shallow clone is checked as far as it reaches, and the result says so.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from ..config import stable_hash
from ..errors import Stopped
from ..gitrepo import GitRepo
from ..model import LOWER_SEVERITY, Finding
from ..secretscan.pack import load_pack
from ..selection import is_python_path
from ..wording import count_text
from . import blob_listing, python_history
from .base import FILES_DONE, STOP, FilesDone, RepoAnalyzer, RepoContext, RepoOutput, SkipFile, SourceFile, cache_config_key
from .secrets import SecretsAnalyzer
from .secrets_added import UNCHECKED, HistoryOptions

SECTION = "secrets_history"
KV_NAMESPACE = "secrets-history"
KV_CLEAN = "secrets-history-clean"
EMPTY_OUTPUT: dict[str, Any] = {"findings": [], "metrics": {"secrets": 0}}
MAX_INTRODUCTION_PATHS = 500
#: old versions from which the scan is split between processes (below, the
#: start of a process costs more than it saves)
PARALLEL_MIN = 4000
#: how often the wait for other processes' shares checks for a stop
STOP_POLL_SECONDS = 0.2
HISTORY_PLAIN = (
    "This secret was deleted from the code but stays in the git history, where anyone with a copy of the "
    "repository can still read it, so it must be revoked."
)


#: ScanOptions.extra key under which a caller scanning several revisions of
#: one repository in a row, newest first (backfill), passes one HistoryMemo
MEMO_OPTION = "secrets_history_memo"


@dataclass
class HistoryMemo:
    """What an older revision can reuse from a newer one's pass: the newer
    revision's list of reachable blobs and every per-blob output seen.

    The blobs reachable from an ancestor are those of the newer revision
    minus what ``git rev-list --objects NEWER ^OLDER`` lists, which git finds
    in a fraction of the time a full listing takes. A blob keeps the path
    under which the newer listing first saw it (the same contents, perhaps
    under a later name)."""

    git_dir: str = ""
    revision: str = ""
    listing: list[tuple[str, int, str]] = field(default_factory=list)
    outputs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (blob, cache key) -> output

    def reachable(self, repo: GitRepo, revision: str, cache=None, keep: bool = True) -> list[tuple[str, int, str]]:
        if self.git_dir == str(repo.git_dir) and self.listing and revision != self.revision:
            ancestor = repo.run("merge-base", "--is-ancestor", revision, self.revision).returncode == 0
            if ancestor:
                later = repo.run("rev-list", "--objects", "--missing=print", self.revision, f"^{revision}")
                if later.returncode == 0:
                    gone = {line.split(b" ", 1)[0].lstrip(b"?").decode() for line in later.stdout.splitlines()}
                    return [entry for entry in self.listing if entry[0] not in gone]
        if self.git_dir == str(repo.git_dir) and revision == self.revision and self.listing:
            return self.listing
        listing = blob_listing.reachable(repo, revision, cache, keep)
        self.git_dir, self.revision, self.listing = str(repo.git_dir), revision, listing
        return listing


@dataclass
class Version:
    """One old version of a file: a blob not in the snapshot."""

    oid: str
    size: int
    path: str
    role: str
    key: str  # the configuration part of its cache key

    @property
    def tag(self) -> str:
        """Its entry in the set of clean versions: blob id and cache key."""
        return f"{self.oid} {self.key}"


@dataclass(frozen=True)
class Limits:
    """How long old versions are read: ``seconds``, counted from when the
    scan's file analysis ended when the history is read alongside it
    (``files_done``), and until ``stop`` is set (an abandoned scan). Another
    process gets only ``seconds`` (``for_process``)."""

    seconds: float
    jobs: int = 1
    files_done: FilesDone | None = None
    stop: threading.Event | None = None

    def for_process(self) -> Limits:
        return replace(self, files_done=None, stop=None)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


@dataclass
class Pass:
    versions_total: int = 0
    from_cache: int = 0
    scanned: int = 0
    too_large: int = 0
    unreadable: int = 0
    complete: bool = True

    @property
    def checked(self) -> int:
        return self.from_cache + self.scanned


class SecretsHistoryAnalyzer(RepoAnalyzer):
    name = "secrets-history"
    reads_history = True
    version = "5"  # 4: old generic secrets one step less severe; 5: CI configuration

    def prepare(self, context) -> Gathered:
        """Steps 1 and 2: every old version's output (they need only the
        revision and the settings, so they can run while the files are
        analysed)."""
        options = HistoryOptions.from_config(context.config)
        snapshot = context.snapshot
        if not options.enabled:
            return Gathered(done=_not_checked("off", "git history was not checked for secrets (secrets.history = false)"))
        if snapshot.kind == "directory" or not snapshot.revision:
            return Gathered(done=_not_checked("skipped", "git history was not checked for secrets: this is not a git repository"))
        if snapshot.kind == "index":
            return Gathered(done=_not_checked("skipped", "git history is not checked for secrets when only staged files are checked"))

        analyzer = SecretsAnalyzer()
        settings = analyzer.settings(context.config)
        analyzer.setup(settings)
        config_hash = stable_hash(settings)
        current = {f.blob for f in snapshot.files if f.blob}
        summary_key = stable_hash(
            {
                "revision": snapshot.revision,
                "snapshot": stable_hash(sorted(current)),
                "prefix": snapshot.prefix,
                # a shallow clone sees less history of the same revision
                "shallow": bool(snapshot.shallow),
                "settings": config_hash,
                "versions": [SecretsAnalyzer.version, self.version],
                "max_file_size": options.max_file_size,
                "selection": context.config.selection_key(),
            }
        )
        cache = context.cache
        if cache is not None:
            stored = cache.get_kv(KV_NAMESPACE, summary_key)
            if stored is not None:
                return Gathered(done=_from_summary(stored))

        memo = context.options.get(MEMO_OPTION)
        memo = memo if isinstance(memo, HistoryMemo) else None
        repo = GitRepo(snapshot.root)
        try:
            versions, walk = self._versions(repo, snapshot, current, analyzer, settings, config_hash, context, options, memo)
            limits = Limits(
                options.seconds,
                jobs=int(context.options.get("jobs") or 1),
                files_done=context.options.get(FILES_DONE),
                stop=context.options.get(STOP),
            )
            outputs = self._scan(repo, versions, analyzer, settings, config_hash, cache, walk, limits, memo)
        finally:
            repo.close()
        try:
            python = python_history.read(context)  # most likely read meanwhile, by activity
        except Stopped:
            raise
        except Exception as exc:  # noqa: BLE001 - the other files' history still counts
            problem = f"{type(exc).__name__}: {exc}"
            return Gathered(versions=versions, walk=walk, outputs=outputs, options=options, summary_key=summary_key, python_problem=problem)
        return Gathered(versions=versions, walk=walk, outputs=outputs, options=options, summary_key=summary_key, python=python)

    def run(self, context: RepoContext) -> RepoOutput:
        gathered = context.prepared.get(self.name)
        if not isinstance(gathered, Gathered):
            gathered = self.prepare(context)
        if gathered.done is not None:
            return gathered.done
        snapshot, walk, options = context.snapshot, gathered.walk, gathered.options
        repo = GitRepo(snapshot.root)
        try:
            findings = self._findings(repo, snapshot, gathered.versions, gathered.outputs, gathered.python, context.findings)
        finally:
            repo.close()
        cache, summary_key = context.cache, gathered.summary_key

        notes = []
        status = "complete"
        if snapshot.shallow:
            status = "partial"
            notes.append(
                "git history was checked for secrets only as far as this shallow clone reaches; "
                "fetch the whole history (fetch-depth: 0) to check all of it"
            )
        incomplete = ""
        if not walk.complete:
            status = "partial"
            incomplete = "time limit reached"
            rest = "later scans check the rest (results are cached)" if cache is not None else "run with the cache to check the rest in later scans"
            notes.append(
                f"git history: checked {walk.checked:,} of {walk.versions_total:,} old file versions for secrets "
                f"within the {options.seconds:g} s limit (secrets.history_seconds); {rest}"
            )
        if gathered.python_problem:
            status = "partial"
            incomplete = incomplete or "Python history not read"
            notes.append(f"git history of Python files was not checked for secrets: {gathered.python_problem}")
        if walk.too_large:
            notes.append(
                f"git history: {count_text(walk.too_large, 'old file version')} larger than "
                f"{options.max_file_size // 1024:,} KiB not checked for secrets (secrets.history_max_file_size)"
            )
        if walk.unreadable:
            notes.append(
                f"git history: {count_text(walk.unreadable, 'old file version')} not checked for secrets: "
                "git could not read them"
            )
        # what "complete" covers: a leaked key on another branch or in a pull
        # request is readable on the host as well
        notes.append("git history: secrets were looked for in the history of the scanned revision only, not on other branches")
        unchecked = _unchecked_changes(gathered.python)
        if unchecked:
            notes.append(
                f"git history: {count_text(unchecked, 'change')} to Python files not checked for secrets: the "
                "check failed on the lines they added"
            )
        section = {
            "status": status,
            "revision": snapshot.revision,
            "commits_checked": len(gathered.python.secrets or {}) if gathered.python is not None else 0,
            "versions_total": walk.versions_total,
            "versions_checked": walk.checked,
            "from_cache": walk.from_cache,
            "too_large": walk.too_large,
            "unreadable": walk.unreadable,
            "python_changes_unchecked": unchecked,
            "findings": len(findings),
        }
        if cache is not None and walk.complete and not gathered.python_problem:
            cache.put_kv(
                KV_NAMESPACE,
                summary_key,
                {"findings": [f.to_dict() for f in findings], "section": {**section, "from_cache": walk.versions_total}, "notes": notes},
            )
            cache.flush()
        return RepoOutput(findings=findings, sections={SECTION: section}, notes=notes, incomplete=incomplete)

    # ------------------------------------------------------------------
    def _versions(self, repo, snapshot, current, analyzer, settings, config_hash, context, options, memo=None):
        """Old versions worth reading, newest history first, each blob once."""
        walk = Pass()
        seen: set[str] = set()
        wanted_path: dict[str, tuple[bool, str, str]] = {}
        versions: list[Version] = []
        # a listing kept from another clone may name blobs a shallow or
        # partial clone lacks (a partial one would fetch them when read)
        keep = not snapshot.shallow and not repo.is_partial()
        if memo is not None:
            listing = memo.reachable(repo, snapshot.revision, context.cache, keep)
        else:
            listing = blob_listing.reachable(repo, snapshot.revision, context.cache, keep)
        for oid, size, path in listing:
            if oid in current or oid in seen or is_python_path(path):
                continue
            if snapshot.prefix and not path.startswith(snapshot.prefix):
                continue
            decision = wanted_path.get(path)
            if decision is None:
                role = context.selector.role(path)
                wanted = context.selector.excluded_by(path) is None and analyzer.wants(path, role, settings)
                key = cache_config_key(config_hash, analyzer.cache_variant(path, role, settings)) if wanted else ""
                decision = wanted_path[path] = (wanted, role, key)
            wanted, role, key = decision
            if not wanted:
                continue
            seen.add(oid)
            walk.versions_total += 1
            if size > options.max_file_size:
                walk.too_large += 1
                continue
            versions.append(Version(oid, size, path, role, key))
        return versions, walk

    def _scan(self, repo, versions, analyzer, settings, config_hash, cache, walk: Pass, limits: Limits, memo=None) -> dict[str, dict[str, Any]]:
        """Per-blob outputs of the ``secrets`` analyzer: from the memo of a
        newer revision, cached, or scanned now."""
        outputs: dict[str, dict[str, Any]] = {}
        if memo is not None:
            for version in versions:
                known = memo.outputs.get((version.oid, version.key))
                if known is not None:
                    outputs[version.oid] = known
            if len(outputs) == len(versions):
                walk.from_cache = len(outputs)
                return outputs
        clean_key = f"{analyzer.name} {analyzer.version} {config_hash}"
        clean: set[str] = set()
        if cache is not None:
            clean = set(cache.get_kv(KV_CLEAN, clean_key) or ())
            by_key: dict[str, list[str]] = {}
            for version in versions:
                if version.tag in clean:
                    outputs[version.oid] = EMPTY_OUTPUT
                else:
                    by_key.setdefault(version.key, []).append(version.oid)
            for key, oids in by_key.items():
                outputs.update(cache.get_many(analyzer.name, analyzer.version, key, oids))
        walk.from_cache = len(outputs)
        missing = [v for v in versions if v.oid not in outputs]
        jobs = min(limits.jobs, len(missing) // (PARALLEL_MIN // 2)) if len(missing) >= PARALLEL_MIN else 1
        shares = [Share(missing[i::jobs]) for i in range(jobs)]
        found: list[Share] = []
        pool = None
        try:
            if jobs > 1:
                from ..pool import process_context

                pool = process_context().Pool(jobs - 1)
                pending = [pool.apply_async(scan_share, (str(repo.git_dir), share, settings, limits.for_process())) for share in shares[1:]]
            found.append(scan_share(str(repo.git_dir), shares[0], settings, limits, analyzer, repo))
            if pool is not None:
                for share in pending:
                    while not share.ready() and not limits.stopped():
                        share.wait(STOP_POLL_SECONDS)
                    if limits.stopped():
                        break
                    try:
                        found.append(share.get())
                    except Exception:  # noqa: BLE001 - a lost process leaves its share for the next scan
                        continue
        finally:
            if pool is not None:
                pool.terminate()  # every share is in, or the scan is abandoned
                pool.join()
        new_clean: set[str] = set()
        by_oid = {v.oid: v for v in missing}
        for share in found:
            walk.scanned += share.scanned
            walk.unreadable += share.unreadable
            for oid in share.clean:
                outputs[oid] = EMPTY_OUTPUT
                new_clean.add(by_oid[oid].tag)
            outputs.update(share.outputs)
            if cache is not None:
                for oid, output in share.outputs.items():
                    cache.put(analyzer.name, analyzer.version, by_oid[oid].key, oid, output)
        if cache is not None:
            if new_clean:
                cache.put_kv(KV_CLEAN, clean_key, sorted(clean | new_clean))
            cache.flush()
        if walk.scanned + walk.unreadable < len(missing):
            walk.complete = False
        if memo is not None:
            keys = {v.oid: v.key for v in versions}
            for oid, output in outputs.items():
                memo.outputs[(oid, keys[oid])] = output
        return outputs

    def _findings(self, repo, snapshot, versions, outputs, python, current_findings) -> list[Finding]:
        current = {(f.rule, f.path, f.basis) for f in current_findings if f.area == "secrets"}
        groups: dict[tuple[str, str, str], list[tuple[Version, dict[str, Any]]]] = {}
        for version in versions:
            for item in outputs.get(version.oid, {}).get("findings", []):
                key = (item["rule"], version.path, item.get("basis", ""))
                if key not in current:
                    groups.setdefault(key, []).append((version, item))
        added: dict[tuple[str, str, str], list[tuple[int, str, dict[str, Any]]]] = {}
        found = {commit: items for commit, items in (python.secrets or {}).items() if items} if python is not None else {}
        if found:
            names = _later_names(python.changes)
            times = {c.id: c.time for c in python.commits}
            for commit, items in found.items():
                for item in items:
                    if item.get(UNCHECKED):
                        continue
                    rule, path, basis = key = (item["rule"], item["path"], item.get("basis", ""))
                    if not path.startswith(snapshot.prefix) or any((rule, name, basis) in current for name in names(path)):
                        continue
                    added.setdefault(key, []).append((times.get(commit, 0), commit, item))
        findings: list[tuple[tuple[str, str, str], Finding]] = []
        for key, members in added.items():
            when, commit, item = min(members, key=lambda m: (m[0], m[1]))  # the oldest commit that added it
            findings.append((key, self._finding(key, item, commit, _iso(when), {"commits": len(members)})))
        if groups:
            paths = {path for _, path, _ in groups}
            introductions = repo.blob_introductions(snapshot.revision, paths) if len(paths) <= MAX_INTRODUCTION_PATHS else {}
            for key, members in groups.items():
                dated = [(introductions[v.oid], v, item) for v, item in members if v.oid in introductions]
                if dated:
                    (commit, date), version, item = min(dated, key=lambda d: d[0][1])
                else:
                    commit, date = "", ""
                    version, item = members[-1]  # rev-list lists newer history first
                findings.append((key, self._finding(key, item, commit, date, {"versions": len(members)})))
        return [_aged(finding, snapshot.revision_date) for _key, finding in sorted(findings, key=lambda pair: pair[0])]

    @staticmethod
    def _finding(key: tuple[str, str, str], item: dict[str, Any], commit: str, date: str, counts: dict[str, int]) -> Finding:
        rule, path, basis = key
        where = f"; added in commit {commit[:12]} on {date[:10]}" if commit else ""
        extra = dict(item.get("extra", {}))
        extra.update({"history": True, **counts})
        if commit:
            extra.update({"commit": commit, "commit_date": date})
        return Finding(
            rule=rule,
            area="secrets",
            severity=item["severity"],
            path=path,
            line=item.get("line", 0),
            message=f"{item['message']} - removed from the code but still in git history{where}",
            plain=HISTORY_PLAIN,
            effort_minutes=item.get("effort_minutes", 60),
            basis=f"history|{basis}",
            extra=extra,
        )


#: a generic secret (a password or framework key next to its name, not a
#: provider's token) added this many years before the scanned revision and
#: gone from the code since is one severity step lower: most often a starter
#: project's key or an old default, to confirm rather than an emergency
OLD_SECRET_YEARS = 3


def _aged(finding: Finding, revision_date: str | None) -> Finding:
    added = _parse_time(finding.extra.get("commit_date"))
    scanned = _parse_time(revision_date)
    if added is None or scanned is None or finding.severity not in LOWER_SEVERITY:
        return finding
    years = (scanned - added).days / 365.25
    if years < OLD_SECRET_YEARS or _strength(finding.extra.get("secret_rule")) != "generic":
        return finding
    return replace(
        finding,
        severity=LOWER_SEVERITY[finding.severity],
        message=f"{finding.message} ({int(years)} years before this revision)",
    )


def _strength(rule_id: Any) -> str:
    rule = next((r for r in load_pack().rules if r.id == rule_id), None) if isinstance(rule_id, str) else None
    return rule.strength if rule is not None else ""


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _later_names(changes: dict[str, list[list]]):
    """``names(path)``: the path and every name a file of that path was
    renamed to later (renames of Python files, from their commits' changes),
    so that a secret still in a renamed file is not reported as removed."""
    renamed: dict[str, set[str]] = {}
    for entries in changes.values():
        for entry in entries:
            if len(entry) == 4 and entry[3] != entry[0]:
                renamed.setdefault(entry[3], set()).add(entry[0])

    def names(path: str) -> set[str]:
        found, todo = {path}, [path]
        while todo:
            for name in renamed.get(todo.pop(), ()):
                if name not in found:
                    found.add(name)
                    todo.append(name)
        return found

    return names


def _iso(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat() if stamp else ""


@dataclass
class Gathered:
    """What ``prepare`` hands to ``run``: a finished output (history off, not
    a repository, a kept summary), or the old versions and their outputs."""

    done: RepoOutput | None = None
    versions: list[Version] = field(default_factory=list)
    walk: Pass = field(default_factory=Pass)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: HistoryOptions = field(default_factory=HistoryOptions)
    summary_key: str = ""
    python: python_history.PythonHistory | None = None
    python_problem: str = ""  # why the Python files' history could not be read


@dataclass
class Share:
    """Old versions for one process to scan, and what it found."""

    versions: list[Version]
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # with findings or skipped
    clean: list[str] = field(default_factory=list)  # blobs in which nothing was found
    scanned: int = 0
    unreadable: int = 0


def scan_share(
    git_dir: str,
    share: Share,
    settings,
    limits: Limits,
    analyzer: SecretsAnalyzer | None = None,
    repo: GitRepo | None = None,
) -> Share:
    """Scan one share's versions, read through one ``git cat-file --batch``,
    within ``limits``. Runs in this process or in a fresh one (which opens
    its own repository and analyzer)."""
    if analyzer is None:
        analyzer = SecretsAnalyzer()
        analyzer.setup(settings)
    started = time.monotonic()

    def over_time(now: float) -> bool:
        if limits.stopped():
            return True
        since = limits.files_done.at() if limits.files_done is not None else started
        return since is not None and now > max(since, started) + limits.seconds

    by_oid = {v.oid: v for v in share.versions}
    own = repo is None
    repo = GitRepo(git_dir) if own else repo
    blobs = repo.iter_blobs(list(by_oid))
    try:
        for oid, data in blobs:
            if over_time(time.monotonic()):
                break
            output = _analyse(analyzer, settings, by_oid[oid], data)
            if output is None:
                share.unreadable += 1
                continue
            share.scanned += 1
            if output.get("findings") or "skip" in output:
                share.outputs[oid] = output
            else:
                share.clean.append(oid)
    finally:
        blobs.close()
        if own:
            repo.close()
    return share


def _analyse(analyzer: SecretsAnalyzer, settings, version: Version, data: bytes | None) -> dict[str, Any] | None:
    """The same analysis the engine runs on a snapshot file; None when the
    object cannot be read."""
    if data is None:
        return None
    file = SourceFile(version.path, version.oid, version.role, data)
    try:
        file.check_content()
    except SkipFile as exc:
        return {"skip": exc.reason}
    try:
        return analyzer.analyze(file, settings)
    except SkipFile as exc:
        return {"skip": exc.reason}
    except RuntimeError:
        return None


def _not_checked(status: str, note: str) -> RepoOutput:
    return RepoOutput(sections={SECTION: {"status": status, "reason": note}}, notes=[note])


def _from_summary(stored: dict[str, Any]) -> RepoOutput:
    return RepoOutput(
        findings=[Finding.from_dict(f) for f in stored.get("findings", [])],
        sections={SECTION: stored.get("section", {})},
        notes=list(stored.get("notes", [])),
    )


def _unchecked_changes(python) -> int:
    """File changes of commits whose added lines the detector failed on."""
    if python is None or not python.secrets:
        return 0
    return sum(1 for items in python.secrets.values() for item in items if item.get(UNCHECKED))
