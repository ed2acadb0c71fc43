"""Repository practices in the spirit of OpenSSF Scorecard, from the snapshot's
files and the repository's tags alone: actions pinned by commit, workflow
token permissions, dangerous ``pull_request_target`` workflows, untrusted
text in shell commands, test steps that cannot fail, signed tags, committed
binaries. What each one means and costs is data (``checks/practices.toml``);
the workflows were parsed once by the ``rules`` file analyzer."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from ..gitrepo import safe_git_env
from ..model import Finding
from ..rules import redact

_SHA = re.compile(r"^[0-9a-f]{40}$")
_PR_HEAD = re.compile(
    r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/|github\.event\.workflow_run\.head_(sha|branch)|"
    r"github\.event\.pull_request\.merge_commit_sha"
)
_UNTRUSTED = re.compile(
    r"\$\{\{\s*(github\.event\.(issue\.(title|body)|pull_request\.(title|body|head\.ref|head\.label|head\.repo\.default_branch)|"
    r"comment\.body|review\.body|review_comment\.body|discussion\.(title|body)|pages\.[^}]*\.page_name|"
    r"commits\.[^}]*\.(message|author\.(email|name))|head_commit\.(message|author\.(email|name))|"
    r"workflow_run\.(head_branch|head_commit\.message|display_title))|github\.head_ref)\s*\}\}"
)
_TEST_RUN = re.compile(r"(?i)\b(pytest|tox|nox|unittest|manage\.py\s+test|go\s+test|npm\s+(run\s+)?test|make\s+\S*test)\b")
_IGNORED = re.compile(r"\|\|\s*(true|:|exit\s+0)\b")
_BINARY = re.compile(
    r"\.(exe|dll|so(\.\d+)*|dylib|jar|war|ear|class|pyc|pyo|whl|egg|o|obj|a|lib|apk|ipa|msi|deb|rpm|dmg|nupkg)$",
    re.IGNORECASE,
)
_BINARY_ALLOWED = ("gradle-wrapper.jar", "maven-wrapper.jar")
MAX_BINARY_FINDINGS = 25


def _finding(packs, pid: str, path: str, line: int, message: str, basis: str, effort: int | None = None, extra=None) -> Finding:
    meta = packs.practices.get(pid, {})
    return Finding(
        rule=f"practices.{pid}",
        area="readiness",
        severity=str(meta.get("severity", "low")),
        path=path,
        line=line,
        message=f"{meta.get('title', pid)}: {message}",
        plain=str(meta.get("plain", "")),
        effort_minutes=int(effort if effort is not None else meta.get("effort_minutes", 15)),
        basis=basis,
        extra=extra or {},
    )


PRIVILEGED_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
_ONLY_PULL_REQUEST = re.compile(r"""github\.event_name\s*==\s*['"]pull_request['"]""")


def _privileged_triggers(triggers: set[str], condition: str) -> set[str]:
    """The triggers with secrets and write access under which a job runs,
    given its ``if:``: ``github.event_name == 'pull_request'`` runs it on
    none of them; ``github.event.pull_request`` (the payload) is empty under
    ``workflow_run``, so the job runs only under ``pull_request_target``."""
    privileged = triggers & PRIVILEGED_TRIGGERS
    if _ONLY_PULL_REQUEST.search(condition) and "||" not in condition:
        return set()
    if re.fullmatch(r"\s*(?:\$\{\{\s*)?github\.event\.pull_request(?:\s*\}\})?\s*", condition):
        return privileged - {"workflow_run"}
    return privileged


def workflow_findings(packs, workflows: dict[str, dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    for path, wf in sorted(workflows.items()):
        triggers = set(wf.get("on", []))
        unpinned: list[tuple[int, str]] = []
        checkouts_pr_head: list[tuple[int, str]] = []
        injections: list[tuple[int, str]] = []
        ignored: list[tuple[int, str]] = []
        jobs_without_permissions = 0
        for job in wf.get("jobs", []):
            if not job.get("permissions"):
                jobs_without_permissions += 1
            runs_on = _privileged_triggers(triggers, str(job.get("if", "")))
            for step in job.get("steps", []):
                uses = step.get("uses")
                if uses and not uses.startswith("./") and "@" in uses:
                    ref = uses.rsplit("@", 1)[1]
                    if uses.startswith("docker://"):
                        if "@sha256:" not in uses:
                            unpinned.append((step["line"], uses))
                    elif not _SHA.match(ref):
                        unpinned.append((step["line"], uses))
                if runs_on and uses and uses.split("@")[0].lower() == "actions/checkout" and _PR_HEAD.search(step.get("ref", "")):
                    checkouts_pr_head.append((step["line"], f"{uses} with ref {step['ref']}", runs_on))
                run = step.get("run", "")
                untrusted = _UNTRUSTED.search(run) if run else None
                if untrusted:
                    injections.append((step["line"], untrusted.group(0)))
                if run and _TEST_RUN.search(run) and (step.get("continue_on_error") or _IGNORED.search(run)):
                    ignored.append((step["line"], run.strip().splitlines()[0]))
        if unpinned:
            names = sorted({u for _, u in unpinned})
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            findings.append(
                _finding(
                    packs, "unpinned-action", path, unpinned[0][0],
                    f"{len(unpinned)} action reference(s) use a tag or branch instead of a full commit SHA: {shown}",
                    "unpinned " + " ".join(sorted({n.rsplit('@', 1)[0] for n in names})),
                    effort=5 * len(names),
                    extra={"actions": names},
                )
            )
        top = wf.get("permissions", "")
        if top == "write-all":
            findings.append(
                _finding(packs, "write-all-permissions", path, wf.get("permissions_line", 0),
                         "top-level permissions: write-all", "permissions write-all")
            )
        elif not top and jobs_without_permissions and triggers != {"workflow_call"}:
            # a workflow that only other workflows call runs with its caller's
            # token: the caller's permissions are the ones that count
            findings.append(
                _finding(
                    packs, "workflow-permissions", path, wf.get("on_line", 0) or 1,
                    f"no top-level permissions block and {jobs_without_permissions} job(s) without one "
                    "(the token gets the repository's default, often write access)",
                    "permissions missing",
                )
            )
        if checkouts_pr_head:
            line, what, dangerous_triggers = checkouts_pr_head[0]
            findings.append(
                _finding(
                    packs, "dangerous-workflow", path, line,
                    f"triggered by {', '.join(sorted(dangerous_triggers))} and checks out the pull request's code ({what})",
                    "dangerous checkout " + what,
                )
            )
        for line, expression in injections[:3]:
            findings.append(
                _finding(packs, "script-injection", path, line,
                         f"`{expression}` is expanded inside a run: command", "injection " + expression)
            )
        for line, first in ignored[:3]:
            shown = redact(first, 100)
            findings.append(
                _finding(packs, "ci-ignores-failures", path, line,
                         f"test step whose failure is ignored: {shown}", "ignored " + shown)
            )
    return findings


def binary_findings(packs, paths: list[str]) -> tuple[list[Finding], list[str]]:
    binaries = sorted(p for p in paths if _BINARY.search(p) and not p.endswith(_BINARY_ALLOWED))
    findings = [
        _finding(packs, "binary-artifact", path, 0, f"{path} is a compiled or packaged binary", f"binary {path}")
        for path in binaries[:MAX_BINARY_FINDINGS]
    ]
    notes = []
    if len(binaries) > MAX_BINARY_FINDINGS:
        notes.append(f"practices: {len(binaries)} binary files are committed; the first {MAX_BINARY_FINDINGS} are listed as findings")
    return findings, notes


def _signed_commits(root: str, objects: list[str]) -> bool:
    """Whether any of the tagged ``objects`` is a commit that carries a
    signature (a ``gpgsig`` header; read, never verified: no gpg is run)."""
    ids = [o for o in objects if o]
    if not ids:
        return False
    try:
        out = subprocess.run(
            ["git", "-C", root, "log", "--no-walk=unsorted", "--stdin", "--no-show-signature", "--format=raw"],
            input=("\n".join(ids) + "\n").encode("ascii"), capture_output=True, timeout=30, check=True, env=safe_git_env(),
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return False
    # headers come before the first blank line of each commit; the message is indented
    return any(line.startswith(("gpgsig ", "gpgsig-sha256 ")) for line in out.splitlines())


def tag_findings(packs, snapshot) -> list[Finding]:
    """Signed tags, where the repository's tags are visible (not for plain
    folders; a shallow clone usually has none). A release whose tag is not
    signed but whose commit is (a maintainer's GPG or SSH key, or GitHub's
    key for a merge made on GitHub) can still be checked: not reported."""
    if snapshot.kind == "directory":
        return []
    try:
        out = subprocess.run(
            ["git", "-C", snapshot.root, "for-each-ref", "--sort=-creatordate", "--count=30",
             "--format=%(refname:short)%00%(objecttype)%00%(contents:signature)%00%(*objecttype)%00%(objectname)%00%(*objectname)%1e",
             "refs/tags"],
            capture_output=True, timeout=30, check=True, env=safe_git_env(),
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return []
    tags = [entry.strip("\n").split("\0") for entry in out.split("\x1e") if entry.strip()]
    if not tags:
        return []
    signed = [t for t in tags if len(t) > 2 and ("BEGIN PGP SIGNATURE" in t[2] or "BEGIN SSH SIGNATURE" in t[2])]
    if signed or _signed_commits(snapshot.root, [t[5] or t[4] for t in tags if len(t) > 5]):
        return []
    return [
        _finding(
            packs, "unsigned-tags", "", 0,
            f"none of the {len(tags)} most recent tags (latest {tags[0][0]}) carries a GPG or SSH signature",
            "unsigned tags",
        )
    ]
