"""``archreview init``: the files that put archreview to work in a repository.

* ``.archreview.toml`` - every setting, commented out (``examples/archreview.toml``);
* ``.github/workflows/archreview.yml`` - the monthly review
  (``examples/monthly-review.yml``);
* ``.pre-commit-config.yaml`` - the ``archreview-check`` hook, added to the
  file when there is one: inserted as text at the end of its ``repos``
  list, so its comments and layout stay as they are, and checked by parsing
  the result with PyYAML (the old entries unchanged, ours added) before it
  is written.

A file that exists is never overwritten without ``force``. Where archreview
was installed from a GitHub repository (pip's ``direct_url.json``), the
workflow and the hook point at that repository and commit; otherwise the
workflow carries a placeholder to replace and the hook runs the installed
``archreview`` (``repo: local``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import CONFIG_FILE, tomllib
from .errors import ArchreviewError
from .output import write_atomic
from .resources import examples_dir

PLACEHOLDER = "your-org/archreview@REPLACE-WITH-A-COMMIT-SHA"
HOOK_ID = "archreview-check"
WORKFLOW_FILE = ".github/workflows/archreview.yml"
PRECOMMIT_FILE = ".pre-commit-config.yaml"
_SOURCE = re.compile(r"^(?P<repository>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)@(?P<rev>[A-Za-z0-9._/-]+)$")

LOCAL_HOOK = """\
- repo: local
  hooks:
    - id: archreview-check
      name: archreview (new problems in the staged change)
      entry: archreview check
      language: system
      types: [text]
      require_serial: true
"""

REMOTE_HOOK = """\
- repo: https://github.com/{repository}
  rev: {rev}
  hooks:
    - id: archreview-check
"""


@dataclass(frozen=True)
class Source:
    """Where archreview comes from on GitHub: ``owner/name`` and a commit (or tag)."""

    repository: str
    rev: str

    @classmethod
    def parse(cls, text: str) -> Source:
        match = _SOURCE.match(text.strip())
        if not match:
            raise ArchreviewError(f"--source must look like OWNER/REPOSITORY@COMMIT (got {text!r})")
        return cls(match["repository"], match["rev"])

    @property
    def pinned(self) -> bool:
        return re.fullmatch(r"[0-9a-f]{40}", self.rev) is not None


def installed_source() -> Source | None:
    """The GitHub repository and commit archreview was pip-installed from, if any."""
    from importlib import metadata

    try:
        text = metadata.distribution("archreview").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    vcs = data.get("vcs_info") or {}
    match = re.match(r"^(?:git\+)?https://github\.com/([^/]+/[^/]+?)(?:\.git)?/?$", data.get("url", ""))
    if vcs.get("vcs") != "git" or not vcs.get("commit_id") or not match:
        return None
    return Source(match[1], vcs["commit_id"])


@dataclass
class Written:
    path: str  # relative to the repository's top
    outcome: str  # written | replaced | added | kept
    why: str = ""


# -- the files ------------------------------------------------------------------
def config_text() -> str:
    return (examples_dir() / "archreview.toml").read_text(encoding="utf-8")


def workflow_text(source: Source | None, subfolder: str = "") -> str:
    text = (examples_dir() / "monthly-review.yml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    (at,) = [i for i, line in enumerate(lines) if PLACEHOLDER in line]
    if source is not None:
        comment = "" if source.pinned else "  # better: the full commit SHA"
        lines[at] = lines[at].replace(PLACEHOLDER, f"{source.repository}@{source.rev}").rstrip("\n") + comment + "\n"
        if at > 0 and lines[at - 1].strip().startswith("# Pin archreview"):
            del lines[at - 1]
            at -= 1
    if subfolder:
        with_line = at + 1
        assert lines[with_line].strip() == "with:", "the example workflow's archreview step has changed"
        indent = " " * (len(lines[with_line + 1]) - len(lines[with_line + 1].lstrip()))
        lines.insert(with_line + 1, f"{indent}path: {json.dumps(subfolder)} # the folder to review\n")
    return "".join(lines)


def hook_entry(source: Source | None) -> str:
    if source is None:
        return LOCAL_HOOK
    return REMOTE_HOOK.format(repository=source.repository, rev=source.rev)


def add_hook(existing: str | None, entry: str) -> tuple[str | None, str]:
    """The pre-commit configuration with ``entry`` added to ``repos``:
    ``(new text, what happened)``; new text None when nothing is to be written."""
    if existing is None or not existing.strip():
        return "repos:\n" + _indent(entry, "  "), "written"
    try:
        before = yaml.safe_load(existing)
    except yaml.YAMLError as exc:
        raise ArchreviewError(f"{PRECOMMIT_FILE} is not valid YAML, so the hook was not added ({exc.problem})") from None
    if not isinstance(before, dict) or not isinstance(before.get("repos"), list):
        raise ArchreviewError(f"{PRECOMMIT_FILE} has no list of repos, so the hook was not added")
    if any(hook.get("id") == HOOK_ID for repo in before["repos"] if isinstance(repo, dict) for hook in repo.get("hooks") or [] if isinstance(hook, dict)):
        return None, "kept"
    text = _insert_into_repos(existing, entry)
    if text is not None:
        after = yaml.safe_load(text)
        wanted = yaml.safe_load(entry)
        if isinstance(after, dict) and after.get("repos") == before["repos"] + wanted and {k: v for k, v in after.items() if k != "repos"} == {
            k: v for k, v in before.items() if k != "repos"
        }:
            return text, "added"
    raise ArchreviewError(
        f"{PRECOMMIT_FILE}: could not add the hook without changing the rest of the file; add it under repos: by hand:\n" + entry
    )


def _insert_into_repos(text: str, entry: str) -> str | None:
    """Insert ``entry`` as the last item of the block list under a top-level
    ``repos:`` key, with that list's indentation; None for other layouts
    (e.g. a flow list ``repos: [...]``)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^repos:\s*(#.*)?$", line)), None)
    if start is None:
        return None
    dash_indent = None
    end = len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("- "):
            end = i  # the next top-level key
            break
        if dash_indent is None:
            if not stripped.startswith("- "):
                return None
            dash_indent = line[: len(line) - len(line.lstrip())]
    if dash_indent is None:
        return None
    # after the list's last item, before the blank lines and comments that lead into what follows
    insert_at = end
    while insert_at > start + 1 and (not lines[insert_at - 1].strip() or (end < len(lines) and lines[insert_at - 1].lstrip().startswith("#") and not lines[insert_at - 1][0].isspace())):
        insert_at -= 1
    head = "".join(lines[:insert_at])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + _indent(entry, dash_indent) + "".join(lines[insert_at:])


def _indent(block: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in block.splitlines(keepends=True))


# -- the command ----------------------------------------------------------------
def init_repository(path: str | Path, *, force: bool = False, source: Source | None = None) -> list[Written]:
    """Write the three files into the repository at ``path``. ``source``:
    archreview's GitHub repository and commit (None: not known, so the
    workflow gets a placeholder and the hook runs the installed archreview)."""
    from .gitrepo import GitRepo, is_git_repository

    folder = Path(path).resolve()
    if not folder.is_dir():
        raise ArchreviewError(f"{path}: no such directory")
    top = folder
    if is_git_repository(folder):
        repo = GitRepo(folder)
        try:
            if repo.work_tree is None:
                raise ArchreviewError(f"{path} is a bare repository: run init in a work tree")
            top = repo.work_tree.resolve()
        finally:
            repo.close()
    subfolder = "" if folder == top else folder.relative_to(top).as_posix()
    done = [
        _write_config(folder, top, force),
        _write_file(top, WORKFLOW_FILE, workflow_text(source, subfolder), force),
        _write_hook(top, source),
    ]
    return done


def _write_config(folder: Path, top: Path, force: bool) -> Written:
    rel = (folder / CONFIG_FILE).relative_to(top).as_posix()
    pyproject = folder / "pyproject.toml"
    if not (folder / CONFIG_FILE).exists() and pyproject.is_file():
        try:
            configured = "archreview" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            configured = False
        if configured:
            # a .archreview.toml would take precedence over it
            return Written(rel, "kept", "the settings are in pyproject.toml [tool.archreview]")
    return _write_file(top, rel, config_text(), force)


def _write_file(top: Path, rel: str, text: str, force: bool) -> Written:
    target = top / rel
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return Written(rel, "kept", "not a regular file")
    existed = target.exists()
    if existed and not force:
        return Written(rel, "kept", "it exists; --force replaces it")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return Written(rel, "replaced" if existed else "written")


def _write_hook(top: Path, source: Source | None) -> Written:
    target = top / PRECOMMIT_FILE
    if target.is_symlink():
        return Written(PRECOMMIT_FILE, "kept", "a symbolic link")
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    text, outcome = add_hook(existing, hook_entry(source))
    if text is None:
        return Written(PRECOMMIT_FILE, "kept", f"it already has the {HOOK_ID} hook")
    write_atomic(target, text)
    return Written(PRECOMMIT_FILE, outcome)


def next_steps(done: list[Written], source: Source | None) -> str:
    """What to do after ``init``, printed by the command."""
    lines = []
    for item in done:
        note = f": {item.why}" if item.why else ""
        verb = {"added": f"added {HOOK_ID} to"}.get(item.outcome, item.outcome)
        lines.append(f"  {verb} {item.path}{note}")
    steps = ["Review .archreview.toml: every setting is commented out, so the defaults apply."]
    if source is None:
        steps.append(
            f"In {WORKFLOW_FILE}, replace {PLACEHOLDER} with the GitHub repository of archreview "
            "and the full commit SHA of the release you use."
        )
    elif not source.pinned:
        steps.append(f"In {WORKFLOW_FILE}, pin archreview by the full commit SHA instead of {source.rev}.")
    steps.append(
        "pre-commit install: from then on every commit is checked (archreview check) and blocked only by problems it adds."
        + (" The hook runs the archreview installed here: add it to your development dependencies." if source is None else "")
    )
    steps.append(
        "Commit these files, then run the workflow once from the Actions tab (Run workflow): it fills in the past "
        "12 months and commits .archreview/history."
    )
    steps.append(
        "GitHub turns off scheduled workflows after 60 days without activity in the repository: "
        "re-enable it from the Actions tab when that happens."
    )
    return "\n".join(["archreview init:", *lines, "", "Next steps:", *(f"  {n}. {s}" for n, s in enumerate(steps, 1))])
