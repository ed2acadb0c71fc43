"""Operational readiness, repository practices and the vendor inventory
(``readiness``): the repository-level half of the rule engine.

It gathers the evidence for every rule of the packs - path rules over the
snapshot's file list, the per-file matches of the ``rules`` file analyzer,
pinning of the dependency manifests and dependency names - keeps only what
sits in a kind of file the rule accepts (a test fixture, a document, an
example or a vendored file is not the real thing unless the rule says so),
and decides each readiness item: ``present``, ``partial`` or ``absent``, with
the evidence paths, the deciding line and one sentence of why.

Sections: ``readiness`` and ``vendors`` (docs/result-schema.md). Findings:
``readiness.<id>`` for items missing or partial that matter for this kind of
repository, ``practices.<id>`` for the practice checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Finding
from ..rules import PathMatcher, Packs, ReadinessSpec, Rule, normalise_name, packs_for_config, path_kind
from .base import RepoAnalyzer, RepoContext, RepoOutput
from .bot_commits import newest_commit_by
from .practices import binary_findings, tag_findings, workflow_findings

MAX_EVIDENCE = 6
#: exclusion labels that do not hide operational files (a Dockerfile under
#: build/, a backup script next to the migrations)
_IGNORED_EXCLUDES = {"build output", "database migrations", "generated code"}
STATUS_RANK = {"absent": 0, "partial": 1, "present": 2}


@dataclass(frozen=True)
class Evidence:
    rule: str
    path: str
    line: int = 0
    quote: str = ""


class ReadinessAnalyzer(RepoAnalyzer):
    name = "readiness"
    version = "9"

    def run(self, context: RepoContext) -> RepoOutput:
        packs = packs_for_config(context.config)
        paths = self._paths(context)
        kinds = {p: path_kind(p, context.selector.role(p)) for p in paths}
        per_file = context.file_results.get("rules", {})
        names = dependency_names(context, per_file, kinds)
        evidence = self._evidence(packs, paths, kinds, per_file, context, names)
        statuses = decide(packs, evidence)
        output = RepoOutput()
        deployable = statuses.get("_deployable", ("absent", []))[0] == "present"
        section = []
        for spec in sorted(packs.readiness.values(), key=lambda s: (s.order or 999, s.id)):
            status, deciding = statuses[spec.id]
            item = describe(spec, status, deciding, packs, statuses, set(names))
            # backups, alerting...: for a running service only, not a library or tool
            item["applies"] = spec.applies_to == "any" or deployable
            section.append(item)
            if status != "present" and item["applies"]:
                output.findings.append(readiness_finding(spec, status, item))
        output.sections["readiness"] = section
        output.sections["vendors"] = vendors(packs, evidence)
        workflows = {p: o["workflow"] for p, o in per_file.items() if isinstance(o, dict) and "workflow" in o}
        output.findings.extend(workflow_findings(packs, workflows))
        binaries, notes = binary_findings(packs, [f.path for f in context.snapshot.files])
        output.findings.extend(binaries)
        output.notes.extend(notes)
        output.findings.extend(tag_findings(packs, context.snapshot))
        return output

    # ------------------------------------------------------------------
    @staticmethod
    def _paths(context: RepoContext) -> list[str]:
        out = []
        for ref in context.snapshot.files:
            label = context.selector.excluded_by(ref.path)
            if label is None or label in _IGNORED_EXCLUDES:
                out.append(ref.path)
        return out

    def _evidence(self, packs: Packs, paths, kinds, per_file, context, names) -> dict[str, list[Evidence]]:
        found: dict[str, list[Evidence]] = {}
        rules = packs.all_rules()
        by_id = {r.id: r for r in rules}
        matchers = {r.id: PathMatcher(r.default_paths(), r.exclude_paths) for r in rules}

        def accepts(rule: Rule, path: str) -> bool:
            kind = kinds.get(path)
            if kind is None:
                return False
            return ("any" in rule.where or kind in rule.where) and matchers[rule.id].match(path)

        for rule in rules:
            if rule.commit_authors:
                commit = newest_commit_by(context.snapshot, rule.commit_authors)
                if commit is not None:
                    found.setdefault(rule.id, []).append(Evidence(rule.id, commit.label()))
            if rule.path_only and rule.paths:
                for path in paths:
                    if accepts(rule, path):
                        found.setdefault(rule.id, []).append(Evidence(rule.id, path))
        for path, output in sorted(per_file.items()):
            if not isinstance(output, dict):
                continue
            for match in output.get("matches", []):
                rule = by_id.get(match.get("rule"))
                if rule is not None and accepts(rule, path):
                    found.setdefault(rule.id, []).append(Evidence(rule.id, path, match.get("line", 0), match.get("quote", "")))
            manifest = output.get("manifest")
            if manifest and manifest.get("total"):
                for rule in rules:
                    if rule.pins and accepts(rule, path):
                        ratio = manifest["pinned"] / manifest["total"]
                        if (rule.pins == "all" and ratio == 1) or (rule.pins == "most" and 0.8 <= ratio < 1):
                            found.setdefault(rule.id, []).append(
                                Evidence(rule.id, path, 0, f"{manifest['pinned']} of {manifest['total']} requirements pinned")
                            )
        # a manifest only partly pinned spoils "every requirement is pinned"
        for rule in rules:
            if rule.pins == "most" and rule.id in found:
                partly = {e.path for e in found[rule.id]}
                for other in rules:
                    if other.pins == "all" and other.target == rule.target and other.id in found:
                        found[other.id] = [e for e in found[other.id] if e.path not in partly]
                        if not found[other.id]:
                            del found[other.id]
        for name, sources in names.items():
            for rule in rules:
                if name in rule.dependencies:
                    for source in sources[:MAX_EVIDENCE]:
                        found.setdefault(rule.id, []).append(Evidence(rule.id, source, 0, name))
        # a rule about one framework counts only in a project that uses it
        # (ADMINS in a Flask app's config is its own setting, not Django's);
        # without any dependency list the project's framework is unknown
        if names:
            for rule in rules:
                if rule.framework and rule.id in found and rule.framework not in names:
                    del found[rule.id]
        return found


def dependency_names(context: RepoContext, per_file, kinds) -> dict[str, list[str]]:
    """Dependency name -> manifests naming it: from the dependencies analyzer
    when it ran, else from the manifests the ``rules`` analyzer read."""
    names: dict[str, list[str]] = {}
    deps = context.sections.get("dependencies")
    # what the project asks for, not what its libraries bring along: a lockfile
    # also lists every library's own dependencies (prometheus-client under a
    # task queue's dashboard is no sign of monitoring), so when a manifest
    # declares the dependencies, the lockfiles' entries do not count
    files = context.sections.get("dependency_files")
    locks = {f.get("path") for f in files if isinstance(f, dict) and f.get("lock")} if isinstance(files, list) else set()
    # (packages an image installs with pip are additions, not the project's manifest)
    declared = isinstance(files, list) and any(
        isinstance(f, dict) and not f.get("lock") and f.get("count") and f.get("format") != "dockerfile" for f in files
    )
    if isinstance(deps, list) and deps:
        for dep in deps:
            if declared and isinstance(dep, dict) and dep.get("source_file") in locks:
                continue
            if isinstance(dep, dict) and dep.get("name"):
                name = normalise_name(str(dep["name"]))
                names.setdefault(name, []).append(str(dep.get("source_file") or ""))
    for path, output in sorted(per_file.items()):
        if not isinstance(output, dict) or "manifest" not in output:
            continue
        if kinds.get(path) not in ("source",):
            continue
        if isinstance(deps, list) and deps and output["manifest"].get("format") != "npm":
            continue
        for name in output["manifest"].get("deps", []):
            names.setdefault(name, []).append(path)
    return {k: sorted(set(v)) for k, v in names.items()}


def decide(packs: Packs, evidence: dict[str, list[Evidence]]) -> dict[str, tuple[str, list[Evidence]]]:
    """Status of every readiness id (and ``_deployable``) with the deciding evidence."""
    rules_by_target: dict[str, list[Rule]] = {}
    for rule in packs.rules:
        rules_by_target.setdefault(rule.target, []).append(rule)
    ids = ["_deployable"] + sorted(packs.readiness, key=lambda i: (bool(_refs(packs.readiness[i])), i))
    statuses: dict[str, tuple[str, list[Evidence]]] = {}
    for _ in range(2):  # groups may refer to other ids (@container)
        for rid in ids:
            spec = packs.readiness.get(rid)
            rules = rules_by_target.get(rid, [])
            status, deciding = "absent", []
            for strength in ("present", "partial"):
                hits = [e for r in rules if r.strength == strength for e in evidence.get(r.id, [])]
                groups = (spec.present_when if strength == "present" else spec.partial_when) if spec else []
                for group in groups:
                    if all(_holds(member, evidence, statuses) for member in group):
                        hits += [e for member in group if not member.startswith("@") for e in evidence.get(member, [])]
                if hits:
                    status, deciding = strength, hits
                    break
            if rid == "_deployable" and status == "absent":
                for other in ("container", "iac"):
                    if statuses.get(other, ("absent",))[0] == "present":
                        status = "present"
            if rid == "tests" and status == "partial":
                deciding = [e for e in deciding if e.rule.startswith("tests.suite")]
            statuses[rid] = (status, deciding)
    return statuses


def _refs(spec: ReadinessSpec) -> list[str]:
    return [m for g in spec.present_when + spec.partial_when for m in g if m.startswith("@")]


def _holds(member: str, evidence, statuses) -> bool:
    if member.startswith("@"):
        return statuses.get(member[1:], ("absent",))[0] == "present"
    return bool(evidence.get(member))


def _ranked(evidence: list[Evidence], packs: Packs) -> list[Evidence]:
    order = {r.id: i for i, r in enumerate(packs.all_rules())}
    # a package's __init__.py says least about what the folder holds: named
    # last; a health route is best shown where routes are defined, not in a
    # settings list that names the path (SECURE_REDIRECT_EXEMPT)
    return sorted(
        evidence,
        key=lambda e: (
            order.get(e.rule, 999),
            not e.quote,
            e.rule == "health.route" and not _ROUTE_FILE.search(e.path),
            e.path.endswith("__init__.py"),
            e.path.count("/"),
            e.path,
            e.line,
        ),
    )


_ROUTE_FILE = re.compile(r"(?:^|/)(?:urls|routes?|routing|views?|api|main|app|server|health\w*)\.py$")


def describe(
    spec: ReadinessSpec, status: str, deciding: list[Evidence], packs: Packs, statuses=None, frameworks=None
) -> dict[str, Any]:
    """One readiness item of the section; ``statuses`` (every item's
    ``(status, evidence)``) for the asides of an absent item, ``frameworks``
    (the project's dependency names) for the signs it names."""
    ranked = _ranked(deciding, packs)
    paths: list[str] = []
    for item in ranked:
        if item.path and item.path not in paths:
            paths.append(item.path)
    # the quote is the line the "why" cites, never a line of another file
    quote = ranked[0].quote if ranked and ranked[0].line else ""
    meanings = {r.id: r.meaning for r in packs.rules}
    dependency_rules = {r.id for r in packs.rules if r.dependencies}
    if status == "absent":
        looked = [
            r.meaning for r in packs.rules
            if r.target == spec.id and r.meaning and (not r.framework or r.framework in (frameworks or ()))
        ][:3]
        why = "Not found" + (f" (none of these: {'; '.join(looked)})" if looked else "") + "."
        for other, aside in spec.absent_aside.items():
            if (statuses or {}).get(other, ("absent", []))[0] == "present":
                why += f" {aside}"
    else:
        first = ranked[0] if ranked else None
        meaning = meanings.get(first.rule, "") if first else ""
        why = _sentence_start(meaning) if meaning else spec.title
        if first is not None and first.path:
            if first.line:
                why += f": {first.path} line {first.line}"
            elif first.quote and first.rule in dependency_rules:
                why += f": {first.quote} in {first.path}"
            elif first.quote:
                why += f": {first.path} ({first.quote})"
            else:
                why += f": {first.path}"
        if spec.id == "tests" and status == "partial":
            why += "; no CI job runs them"
        why += "."
    return {
        "id": spec.id,
        "status": status,
        "evidence": paths[:MAX_EVIDENCE],
        # every file with evidence, of which ``evidence`` lists the first few
        "evidence_files": len(paths),
        "why": why,
        "quote": quote,
    }


def _sentence_start(text: str) -> str:
    """``text`` with a capital first letter, unless it starts with a name
    from code (``logging.basicConfig``, ``sentry_sdk``) that must stay as
    written."""
    first = text.split(" ", 1)[0]
    if any(c in first for c in "._()") or (first[1:] and any(c.isupper() for c in first[1:])):
        return text
    return text[:1].upper() + text[1:]


def readiness_finding(spec: ReadinessSpec, status: str, item: dict[str, Any]) -> Finding:
    partial = status == "partial"
    plain = (spec.plain_partial if partial else "") or spec.plain_absent
    return Finding(
        rule=f"readiness.{spec.id}",
        area="readiness",
        severity=spec.partial_severity if partial else spec.severity,
        path=item["evidence"][0] if item["evidence"] else "",
        line=0,
        message=f"{spec.title}: {status}. {item['why']}",
        plain=plain,
        effort_minutes=spec.partial_effort_minutes if partial else spec.effort_minutes,
        basis=f"readiness {spec.id}",
        extra={"status": status},
    )


def vendors(packs: Packs, evidence: dict[str, list[Evidence]]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for rule in packs.vendors:
        hits = evidence.get(rule.id, [])
        if not hits:
            continue
        entry = found.setdefault(rule.target, {"name": rule.target, "category": rule.category, "evidence": [], "via": set()})
        for hit in hits:
            via = rule.via
            if rule.via == "import" and hit.line == 0 and not hit.path.endswith(".py"):
                via = "dependency"
            entry["via"].add(via)
            if hit.path and hit.path not in entry["evidence"]:
                entry["evidence"].append(hit.path)
    out = []
    for entry in sorted(found.values(), key=lambda e: (e["category"], e["name"].lower())):
        entry["evidence"] = sorted(entry["evidence"], key=lambda p: (p.count("/"), p))[:MAX_EVIDENCE]
        entry["via"] = sorted(entry["via"])
        out.append(entry)
    return out
