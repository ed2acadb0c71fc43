"""The ``dependencies`` repository analyzer: reads every manifest and
lockfile of the snapshot (from git objects), asks the package index how
current each package is, audits pinned versions for known vulnerabilities,
and turns what it learnt into the ``dependencies`` and ``dependency_files``
sections and ``deps.*`` findings.

It needs only the revision and the settings - no file analysis - so the
engine runs it ahead, in a thread, while the files are analysed
(``prepare``): its package-index lookups and its advisory matching cost the
scan no time of their own.

Network use: the package index's JSON API (staleness) and, without
``--advisory-db``, pip-audit's online service (vulnerabilities). ``--offline``
turns both off; ``--advisory-db DIR`` audits against a local OSV database
instead. Whatever cannot be learnt stays ``null`` ("unknown") and a coverage
note says why.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ...model import Finding, Skipped
from ..base import RepoAnalyzer, RepoContext, RepoOutput
from . import findings as rules
from .advisories.interface import VulnerabilityService
from .advisories.local_db import LocalDatabase
from .advisories.pip_audit_service import PipAuditService
from .coverage import include_cycles, lock_coverage, project_folder
from .discovery import discover
from .findings import Row
from .index.client import IndexClient
from .index.gate import Asker, NetworkGate
from .index.location import IndexLocation, resolve
from .index.releases import staleness
from .model import KIND_LOCK, ParsedFile
from .settings import SECTION, DependencySettings
from .sources import DependencySource, SourceContext, by_format

_MANIFEST_ORDER = {"pyproject": 0, "Pipfile": 1, "setup.cfg": 2, "requirements": 3}


class DependenciesAnalyzer(RepoAnalyzer):
    name = SECTION
    version = "5"  # 3: pip installs in Dockerfiles; 4: heading comments group requirements; 5: holes in tool-only libraries one step lower

    def prepare(self, context) -> RepoOutput:
        """The whole analysis, from a reader of its own (it reads only the
        dependency files of the snapshot)."""
        reader = context.snapshot.open_reader()
        try:
            view = RepoContext(
                snapshot=context.snapshot, reader=reader, config=context.config, file_results={}, files=[],
                options=context.options, cache=context.cache, selector=context.selector,
            )
            return self._analyse(view)
        finally:
            reader.close()

    def run(self, context: RepoContext) -> RepoOutput:
        prepared = context.prepared.get(self.name)
        return prepared if isinstance(prepared, RepoOutput) else self._analyse(context)

    def _analyse(self, context: RepoContext) -> RepoOutput:
        settings = DependencySettings.from_section(context.config.section(self.name))
        out = RepoOutput()
        offline = bool(context.options.get("offline"))
        now = context.options.get("now") or datetime.now(timezone.utc)

        files = self._read(context, settings, out)
        coverage = lock_coverage(files)
        rows = []
        for path, parsed in files.items():
            covered = coverage.covered(path)
            locked_names = coverage.locked_names.get(path, set())
            lockfiles = tuple(coverage.covering.get(path, ()))
            for entry in parsed.entries:
                locked = entry.pinned or (covered and entry.name in locked_names)
                rows.append(Row(entry=entry, locked=locked, covered=covered, lockfiles=lockfiles))
        rows.sort(key=lambda r: (r.entry.source_file, r.entry.line, r.entry.name))

        location = None if offline or not rows else resolve(settings)
        if offline:
            if rows:
                out.notes.append(
                    "dependencies: --offline, so latest versions, release dates and yanked releases were not looked up"
                )
        elif rows:
            self._staleness(rows, location, settings, context, out)
        service = self._service(context, settings, offline, bool(rows), out)
        if service is not None and rows:
            self._audit(rows, service, location, settings, out, now)

        out.sections["dependencies"] = [_row_dict(r) for r in rows]
        out.sections["dependency_files"] = [
            {"path": p.path, "format": p.format, "count": len(p.entries), "lock": p.lock}
            for p in sorted(files.values(), key=lambda p: p.path)
            if not _only_tool_settings(p)
        ]
        out.findings = self._findings(rows, files, settings, now)
        return out

    # -- reading -----------------------------------------------------------
    @staticmethod
    def _other_languages(found: dict[str, list[str]], out: RepoOutput) -> None:
        """Dependency files of other languages are not checked: say which."""
        rows = [{"language": language, "files": sorted(paths)} for language, paths in sorted(found.items())]
        out.sections["dependencies_not_checked"] = rows
        for row in rows:
            files = row["files"]
            shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            out.notes.append(
                f"dependencies: {row['language']} libraries were not checked (only Python dependency files are read): {shown}"
            )

    def _read(self, context: RepoContext, settings: DependencySettings, out: RepoOutput) -> dict[str, ParsedFile]:
        found = discover(context.snapshot.files, context.selector, settings)
        out.skipped.extend(found.skipped)
        self._other_languages(found.other_languages, out)
        if found.not_read:
            why = ", ".join(f"{label} ({n})" for label, n in sorted(found.not_read.items()))
            out.notes.append(f"dependencies: manifests not read on purpose: {why}")
        refs = {ref.path: ref for ref in context.snapshot.files}
        source_context = SourceContext(settings.max_lines, frozenset(refs))
        requirements = by_format("requirements")
        queue: list[tuple[str, DependencySource]] = list(found.files)
        files: dict[str, ParsedFile] = {}
        while queue:
            path, source = queue.pop(0)
            if path in files:
                continue
            ref = refs.get(path)
            if ref is not None and ref.size is not None and ref.size > settings.max_bytes:
                out.skipped.append(Skipped(path, "larger than max_bytes in [tool.archreview.dependencies]"))
                continue
            text = context.read_text(path)
            if text is None:
                out.skipped.append(Skipped(path, "could not be read (binary, missing or not a regular file)"))
                continue
            try:
                parsed = source.parse(path, text, source_context)
            except Exception as exc:  # noqa: BLE001 - one odd file must not stop the analysis
                out.skipped.append(Skipped(path, f"could not be read ({type(exc).__name__})"))
                continue
            files[path] = parsed
            out.skipped.extend(parsed.skipped)
            out.notes.extend(parsed.notes)
            for target in parsed.includes + parsed.constraints:
                if target not in files:
                    queue.append((target, requirements))
        out.skipped.extend(include_cycles(files))
        return files

    # -- the package index -------------------------------------------------
    def _staleness(self, rows: list[Row], location: IndexLocation, settings, context, out: RepoOutput) -> None:
        if location.json_api is None:
            out.notes.append(f"dependencies: latest versions unknown: {location.origin}")
            return
        private = sorted({r.entry.index_host for r in rows if _private(r, location)})
        if private:
            count = len({r.entry.name for r in rows if _private(r, location)})
            out.notes.append(
                f"dependencies: {count} packages install from another package index ({', '.join(private)}); "
                f"they were not looked up on {location.host} nor sent to an online vulnerability service"
            )
        names = sorted({r.entry.name for r in rows if _askable(r, location)})
        if not names:
            return
        asker = _asker(f"the package index at {location.host}", settings, context)
        client = IndexClient(location, asker)
        gate = asker.gate
        lookup = client.lookup(names)
        for row in rows:
            summary = lookup.summaries.get(row.entry.name)
            if summary is not None:
                # newest_allowed is only read for unpinned rows (see _audit)
                pinned = row.entry.pinned
                row.stale = staleness(summary, row.entry.version if pinned else None, () if pinned else row.entry.allowed)
        if lookup.unknown:
            out.incomplete = "package index lookups failed"
            out.notes.append(
                f"dependencies: latest version, release dates and yanked status are unknown for "
                f"{len(lookup.unknown)} packages: {gate.summary() or 'the package index could not be asked'}"
            )
        if lookup.missing:
            shown = ", ".join(lookup.missing[:8]) + (" …" if len(lookup.missing) > 8 else "")
            out.notes.append(
                f"dependencies: {len(lookup.missing)} packages are not on the package index at {location.host} "
                f"(private packages?): {shown}"
            )

    # -- vulnerabilities ---------------------------------------------------
    def _service(self, context, settings, offline: bool, needed: bool, out: RepoOutput) -> VulnerabilityService | None:
        database = context.options.get("advisory_db")
        if database:
            return LocalDatabase.open(database, context.cache, settings.default_severity)
        if not needed:
            return None
        if offline:
            out.notes.append("dependencies: --offline without --advisory-db, so known vulnerabilities were not checked")
            return None
        service = settings.vulnerability_service
        asker = _asker(f"pip-audit's {'PyPI' if service == 'pypi' else 'OSV'} service", settings, context)
        return PipAuditService(service, settings.osv_url, asker, settings.default_severity)

    def _audit(self, rows: list[Row], service: VulnerabilityService, location, settings, out: RepoOutput, now: datetime) -> None:
        local = isinstance(service, LocalDatabase)
        wanted: dict[int, tuple[str, str]] = {}  # id(row) -> pair
        unaudited_ranges = 0
        for row in rows:
            entry = row.entry
            if entry.direct or (not local and location is not None and _private(row, location)):
                continue
            if entry.pinned:  # as the index spells it when known: "3.2" for a pin "==3.2.0"
                version = (row.stale.release if row.stale else None) or entry.version
            else:
                version = row.stale.newest_allowed if row.stale else None
            if version is None:
                if not row.covered:
                    unaudited_ranges += 1
                continue
            wanted[id(row)] = (entry.name, version)
        result = service.audit(sorted(set(wanted.values())))
        ignored = {v.upper() for v in settings.ignore_vulns}
        dropped = 0
        for row in rows:
            pair = wanted.get(id(row))
            if pair is None or pair not in result.vulns:
                continue
            vulns = result.vulns[pair]
            kept = [v for v in vulns if not ({v.id.upper(), *(a.upper() for a in v.aliases)} & ignored)]
            dropped += len(vulns) - len(kept)
            row.audited_version = pair[1]
            row.vulns = kept
        audited = len(set(wanted.values()) & set(result.vulns))
        if audited:
            out.notes.append(f"dependencies: {audited} versions audited against {service.description}")
        out.notes.extend(f"dependencies: {note}" for note in result.notes)
        if result.data_date:
            age = (now.date() - date.fromisoformat(result.data_date)).days
            old = age > STALE_ADVISORY_DAYS
            out.sections["advisory_data"] = {"source": service.description, "newest": result.data_date, "age_days": age, "old": old}
            if old:
                out.notes.append(
                    f"dependencies: the newest advisory in {service.description} is from {result.data_date}, "
                    f"{age // 30} months before this scan: security holes published since then are not known to it"
                )
        gate = getattr(service, "gate", None)
        missed = len(set(wanted.values()) - set(result.vulns))
        if missed:
            failed = gate.summary() if gate else None
            if failed:
                out.incomplete = "vulnerability lookups failed"
            why = failed or "see the notes above"
            out.notes.append(f"dependencies: {missed} pinned versions were not audited for vulnerabilities: {why}")
        if unaudited_ranges:
            out.notes.append(
                f"dependencies: {unaudited_ranges} version ranges without a lockfile were not audited: "
                "which version gets installed is not known without the package index"
            )
        if dropped:
            out.notes.append(f"dependencies: {dropped} advisories left out by ignore_vulns")

    # -- findings ----------------------------------------------------------
    def _findings(self, rows: list[Row], files: dict[str, ParsedFile], settings, now: datetime) -> list[Finding]:
        found = rules.vulnerable(rows)
        found += rules.yanked(rows)
        found += rules.abandoned(rows, now.date(), settings.abandoned_years)
        found += rules.outdated(rows, settings.outdated_majors, settings.outdated_days, settings.outdated_releases)
        found += rules.unpinned(rows)
        found += rules.no_lockfile(_projects_without_lock(rows, files))
        return found


#: advisory data older than this (days) is said to be old in the notes and the report
STALE_ADVISORY_DAYS = 90


def _asker(service: str, settings: DependencySettings, context: RepoContext) -> Asker:
    gate = NetworkGate(service, retries=settings.retries, budget=settings.network_budget_seconds)
    return Asker(gate, settings.timeout, context.cache, settings.cache_ttl_seconds, settings.concurrency)


def _only_tool_settings(parsed: ParsedFile) -> bool:
    """A pyproject.toml or setup.cfg that only configures tools (black, flake8,
    coverage...) declares no dependencies: it is not listed as a manifest."""
    return parsed.format in ("pyproject", "setup.cfg", "dockerfile") and not (parsed.entries or parsed.skipped or parsed.notes)


def _private(row: Row, location: IndexLocation) -> bool:
    host = row.entry.index_host
    return bool(host) and not row.entry.direct and host not in location.public_hosts


def _askable(row: Row, location: IndexLocation) -> bool:
    return not row.entry.direct and not _private(row, location)


def _projects_without_lock(rows: list[Row], files: dict[str, ParsedFile]):
    folders = {path: project_folder(path) for path in {r.entry.source_file for r in rows}}
    groups: dict[str, list[Row]] = {}
    # the folders where a product (main) dependency is pinned or locked
    pinned_main = {folders[r.entry.source_file] for r in rows if r.entry.group == "main" and (r.locked or r.entry.pinned)}
    for row in rows:
        entry = row.entry
        if entry.kind == KIND_LOCK or entry.pinned or entry.direct or row.covered:
            continue
        if files[entry.source_file].format == "dockerfile":
            continue  # the fix is a pin on that line (its own finding), not a lockfile
        groups.setdefault(folders[entry.source_file], []).append(row)
    projects = []
    for folder, members in sorted(groups.items()):
        main = min(
            members,
            key=lambda r: (
                _MANIFEST_ORDER.get(files[r.entry.source_file].format, 9),
                r.entry.source_file,
                r.entry.line,
            ),
        )
        packaged = all(files[r.entry.source_file].packaged for r in members)
        optional = all(r.entry.group != "main" for r in members)
        if optional and pinned_main:
            # only development/test/docs tools float (docs/requirements.txt,
            # tests/e2e/requirements.txt) while the product's own
            # dependencies are pinned: their "unpinned" notes say enough
            continue
        projects.append((folder, main, packaged, optional))
    return projects


def _row_dict(row: Row) -> dict[str, Any]:
    entry, stale = row.entry, row.stale
    return {
        "name": entry.name,
        "version": entry.version if entry.pinned else None,
        "spec": entry.spec,
        "source_file": entry.source_file,
        "line": entry.line,
        "group": entry.group,
        "pinned": entry.pinned,
        "locked": row.locked,
        "direct": entry.direct,
        "latest": stale.latest if stale else None,
        "behind": stale.behind if stale else None,
        "last_release": stale.last_release if stale else None,
        "yanked": stale.yanked if stale else None,
        "audited_version": row.audited_version,
        "vulns": [v.to_dict() for v in row.vulns] if row.vulns is not None else None,
    }
