"""The GitHub Action's steps (``action.yml`` at the repository root), as code
that can be run and tested outside GitHub:

    python -m archreview.action review   # backfill on the first run, scan and save
                                         # the month, reports, job summary, gate outcome
    python -m archreview.action commit   # commit .archreview/history back to the branch
    python -m archreview.action gate     # fail the job when the review's gate failed

Inputs arrive as ``INPUT_*`` environment variables: ``action.yml`` maps its
inputs onto them and never pastes them into script text (no injection
through an input). Results go to GitHub's files: ``$GITHUB_OUTPUT`` (step
outputs) and ``$GITHUB_STEP_SUMMARY`` (the job summary, at most 1 MiB per
step). A problem is one ``::error::`` line and exit code 2.

The gate does not stop the review: the reports are uploaded and the history
committed first, then the last step fails the job with the gate's line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .commands import FAIL_ON_LEVELS

SUMMARY_LIMIT = 1024 * 1024  # GitHub's cap on one step's job summary, in bytes
FORMAT_FILES = {"markdown": "report.md", "html": "report.html", "sarif": "archreview.sarif", "json": "result.json"}
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
PUSH_ATTEMPTS = 3


class ActionError(Exception):
    """Stops a step: printed as one ``::error::`` line, exit code 2."""


@dataclass
class Inputs:
    path: Path  # the folder to review, absolute
    months: int  # months to backfill when the history is empty
    fail_on: str
    formats: list[str]
    day_rate: str
    output_dir: Path

    @classmethod
    def from_environment(cls, env: dict[str, str]) -> Inputs:
        workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
        path = workspace / (env.get("INPUT_PATH") or ".")
        months_text = (env.get("INPUT_MONTHS") or "0").strip()
        if not months_text.isdigit() or int(months_text) > 240:
            raise ActionError(f"months must be a whole number from 0 to 240 (got {months_text!r})")
        fail_on = (env.get("INPUT_FAIL_ON") or "none").strip().lower()
        if fail_on not in FAIL_ON_LEVELS:
            raise ActionError(f"fail-on must be one of {', '.join(FAIL_ON_LEVELS)} (got {fail_on!r})")
        formats = [f.strip().lower() for f in (env.get("INPUT_FORMATS") or "markdown").replace(",", " ").split()]
        unknown = [f for f in formats if f not in FORMAT_FILES]
        if unknown:
            raise ActionError(f"formats: unknown format {unknown[0]!r}; choose from {', '.join(FORMAT_FILES)}")
        day_rate = (env.get("INPUT_DAY_RATE") or "").strip()
        if day_rate:
            try:
                if float(day_rate) < 0:
                    raise ValueError
            except ValueError:
                raise ActionError(f"day-rate must be a non-negative number (got {day_rate!r})") from None
        temp = env.get("RUNNER_TEMP") or os.path.join(workspace, ".archreview-tmp")
        output_dir = Path(env.get("INPUT_OUTPUT_DIR") or os.path.join(temp, "archreview-report"))
        return cls(path, int(months_text), fail_on, list(dict.fromkeys(formats)), day_rate, output_dir)


# -- GitHub's files ------------------------------------------------------------
def set_outputs(env: dict[str, str], values: dict[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            if "\n" in value:
                delimiter = f"ARCHREVIEW_{os.urandom(8).hex()}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def add_summary(env: dict[str, str], text: str) -> int:
    """Append ``text`` to the job summary, cut at a line end to stay under
    GitHub's limit. Returns the bytes written."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return 0
    data = text.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        note = "\n\n_The summary was cut to fit GitHub's 1 MiB limit; the full report is in the run's artifact._\n".encode()
        cut = data[: SUMMARY_LIMIT - len(note)]
        cut = cut[: cut.rfind(b"\n") + 1] or cut
        data = cut.decode("utf-8", "ignore").encode("utf-8") + note
    with open(target, "ab") as handle:
        handle.write(data)
    return len(data)


def annotate(kind: str, message: str) -> None:
    """A workflow command: ``::error::`` or ``::warning::`` (one line)."""
    text = " ".join(message.split()).replace("%", "%25")
    print(f"::{kind}::{text}", flush=True)


# -- running archreview and git -----------------------------------------------
def archreview(args: list[str], env: dict[str, str], capture: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "archreview", *args]
    print(f"::group::archreview {' '.join(args[:1])}", flush=True)
    try:
        done = subprocess.run(command, env=env, text=True, capture_output=capture, check=False)
    finally:
        print("::endgroup::", flush=True)
    return done


def git(cwd: Path, *args: str, check: bool = True, as_bot: bool = False) -> subprocess.CompletedProcess:
    env = None
    if as_bot:  # the history commit is the bot's, whatever identity the runner has
        env = dict(os.environ, GIT_AUTHOR_NAME=BOT_NAME, GIT_AUTHOR_EMAIL=BOT_EMAIL, GIT_COMMITTER_NAME=BOT_NAME, GIT_COMMITTER_EMAIL=BOT_EMAIL)
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ActionError(f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done


def stored_months(folder: Path) -> list[str]:
    from .history import load

    return [entry.month for entry in load(folder).entries] if folder.is_dir() else []


# -- steps ----------------------------------------------------------------------
def review(env: dict[str, str]) -> int:
    inputs = Inputs.from_environment(env)
    if not inputs.path.is_dir():
        raise ActionError(f"path: {inputs.path} is not a folder in the checkout")
    from .history import history_dir

    child_env = dict(env)
    if inputs.day_rate:
        child_env["ARCHREVIEW_DAY_RATE"] = inputs.day_rate
    out = inputs.output_dir
    out.mkdir(parents=True, exist_ok=True)
    folder = history_dir(inputs.path)
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()

    if inputs.months and not stored_months(folder):
        shallow = git(inputs.path, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"
        if shallow:
            annotate(
                "warning",
                "archreview: past months were not filled in because this is a shallow clone; "
                "give actions/checkout `fetch-depth: 0` to get the history",
            )
        else:
            done = archreview(["backfill", str(inputs.path), "--months", str(inputs.months)], child_env)
            if done.returncode != 0:
                annotate("warning", "archreview: filling in past months failed; the review goes on with this month alone")

    result = out / FORMAT_FILES["json"]
    scan_args = ["scan", str(inputs.path), "--save", "--format", "json", "--output", str(result)]
    if inputs.fail_on != "none":
        scan_args += ["--fail-on", inputs.fail_on]
    done = archreview(scan_args, child_env, capture=True)
    sys.stderr.write(done.stderr)
    if done.returncode not in (0, 1):
        raise ActionError(_last_line(done.stderr) or f"the scan stopped with exit code {done.returncode}")
    gate_message = ""
    if done.returncode == 1:
        gate_message = next((line for line in done.stderr.splitlines() if "gate failed" in line), "archreview: gate failed")

    saved = re.search(r"saved (\d{4}-\d{2}) to", done.stderr)
    if saved is not None:
        month = saved.group(1)
    else:
        months = stored_months(folder)
        if not months:
            raise ActionError(f"the scan saved no month in {folder}")
        month = months[-1]
    try:
        history_rel = folder.resolve().relative_to(workspace).as_posix()
    except ValueError:
        history_rel = str(folder)
    outputs = {
        "report-dir": str(out),
        "result": str(result),
        "month": month,
        "history-dir": history_rel,
        "gate": "off" if inputs.fail_on == "none" else ("failed" if gate_message else "passed"),
        "gate-message": gate_message,
    }
    failed = []
    for fmt in inputs.formats:
        if fmt == "json":
            continue
        target = out / FORMAT_FILES[fmt]
        rendered = archreview(["report", "--from", str(folder), "--month", month, "--format", fmt, "--output", str(target)], child_env)
        if rendered.returncode == 0:
            outputs[fmt] = str(target)
        else:
            failed.append(fmt)
    summary = out / "summary.md"
    rendered = archreview(["report", "--from", str(folder), "--month", month, "--format", "summary", "--output", str(summary)], child_env)
    if rendered.returncode == 0:
        written = add_summary(env, summary.read_text(encoding="utf-8"))
        print(f"archreview: job summary for {month}: {written:,} bytes", flush=True)
    else:
        annotate("warning", "archreview: the job summary could not be written")
    outputs["report"] = outputs.pop("markdown", "")
    outputs.setdefault("html", "")
    outputs.setdefault("sarif", "")
    set_outputs(env, outputs)  # what was made is uploaded even when a format failed
    if failed:
        raise ActionError(f"could not write the {', '.join(failed)} report{'s' if len(failed) > 1 else ''}")
    return 0


def commit(env: dict[str, str]) -> int:
    """Commit the history folder (and nothing else) and push it to the branch
    the workflow runs on."""
    inputs = Inputs.from_environment(env)
    from .history import history_dir

    folder = history_dir(inputs.path)
    top = Path(git(inputs.path, "rev-parse", "--show-toplevel").stdout.strip())
    rel = os.path.relpath(folder.resolve(), top.resolve())
    month = env.get("INPUT_MONTH") or ""
    git(top, "add", "--", rel)
    if git(top, "diff", "--cached", "--quiet", "--", rel, check=False).returncode == 0:
        print("archreview: the history has not changed; nothing to commit", flush=True)
        set_outputs(env, {"committed": "false", "pushed": "false"})
        return 0
    title = f"archreview: review history{' for ' + month if month else ''} [skip ci]"
    git(top, "commit", "-q", "-m", title, "--", rel, as_bot=True)
    sha = git(top, "rev-parse", "HEAD").stdout.strip()
    branch = env.get("GITHUB_HEAD_REF") or env.get("GITHUB_REF_NAME") or ""
    if env.get("GITHUB_REF_TYPE", "branch") != "branch" or not branch or env.get("GITHUB_EVENT_NAME", "").startswith("pull_request"):
        annotate("warning", "archreview: the history is pushed only from a run on a branch (schedule, workflow_dispatch or push); it was committed here but not pushed")
        set_outputs(env, {"committed": "true", "pushed": "false", "commit": sha})
        return 0
    remote = env.get("INPUT_REMOTE") or "origin"
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        pushed = git(top, "push", "-q", remote, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            break
        if attempt == PUSH_ATTEMPTS:
            raise ActionError(f"could not push the history to {branch}: {_last_line(pushed.stderr)}")
        # the branch moved while the review ran: put the history commit on top
        rebased = git(top, "pull", "-q", "--rebase", remote, branch, check=False, as_bot=True)
        if rebased.returncode != 0:
            git(top, "rebase", "--abort", check=False)
            raise ActionError(f"the history commit does not apply on top of {branch}: {_last_line(rebased.stderr)}")
    sha = git(top, "rev-parse", "HEAD").stdout.strip()
    print(f"archreview: pushed the history ({sha[:12]}) to {branch}", flush=True)
    set_outputs(env, {"committed": "true", "pushed": "true", "commit": sha})
    return 0


def gate(env: dict[str, str]) -> int:
    if env.get("INPUT_GATE") != "failed":
        return 0
    message = env.get("INPUT_GATE_MESSAGE") or "archreview: gate failed"
    annotate("error", message)
    print(message, file=sys.stderr)
    return 1


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


STEPS = {"review": review, "commit": commit, "gate": gate}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in STEPS:
        print(f"usage: python -m archreview.action {{{'|'.join(STEPS)}}}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    try:
        return STEPS[argv[0]](env)
    except ActionError as exc:
        annotate("error", f"archreview: {exc}")
        return 2
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback, in the job log
        from .errors import ArchreviewError

        if isinstance(exc, ArchreviewError):
            annotate("error", f"archreview: {exc}")
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
