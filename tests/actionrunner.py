"""Runs a composite action's steps the way a GitHub runner does, for tests.

``run:`` steps run with ``bash --noprofile --norc -eo pipefail``, their
``env:`` evaluated, each with fresh ``$GITHUB_OUTPUT`` and
``$GITHUB_STEP_SUMMARY`` files (read back into ``steps.<id>.outputs`` and
the job summary) and ``$GITHUB_PATH`` honoured. ``uses:`` steps (other
actions: artifact and SARIF uploads) are not run; their evaluated ``with:``
is recorded for the test to check. ``if:`` conditions and ``${{ }}``
expressions are evaluated for the subset of the expression language an
action uses: contexts ``inputs``, ``steps``, ``github``, ``runner``, ``env``;
``==``, ``!=``, ``&&``, ``||``, ``!``, parentheses, string literals and
``always()``, ``success()``, ``failure()``, ``cancelled()``.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*(?:\(\))?))")


@dataclass
class StepRecord:
    name: str
    id: str | None
    ran: bool
    kind: str  # run | uses
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    uses: str = ""
    with_: dict[str, str] = field(default_factory=dict)
    summary: str = ""


@dataclass
class ActionRun:
    steps: list[StepRecord]
    outputs: dict[str, str]
    failed: bool

    def step(self, name: str) -> StepRecord:
        return next(s for s in self.steps if s.name == name)

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


class Expressions:
    def __init__(self, contexts: dict[str, Any], status: dict[str, bool]):
        self.contexts = contexts
        self.status = status

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _as_text(self.evaluate(m.group(1))), str(text))

    def condition(self, text: str | None) -> bool:
        if text is None:
            return self.status["success"]
        text = str(text).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        uses_status = re.search(r"\b(always|success|failure|cancelled)\(\)", text) is not None
        value = _truthy(self.evaluate(text))
        return value if uses_status else value and self.status["success"]

    def evaluate(self, text: str) -> Any:
        tokens = [m for m in _TOKEN.finditer(text) if m.group(0).strip()]
        self._tokens = [(m.lastgroup, m.group(m.lastgroup)) for m in tokens]
        self._pos = 0
        value = self._or()
        if self._pos != len(self._tokens):
            raise ValueError(f"cannot evaluate {text!r}")
        return value

    def _peek(self):
        return self._tokens[self._pos] if self._pos < len(self._tokens) else (None, None)

    def _take(self):
        token = self._peek()
        self._pos += 1
        return token

    def _or(self):
        left = self._and()
        while self._peek() == ("op", "||"):
            self._take()
            right = self._and()
            left = left if _truthy(left) else right
        return left

    def _and(self):
        left = self._compare()
        while self._peek() == ("op", "&&"):
            self._take()
            right = self._compare()
            left = right if _truthy(left) else left
        return left

    def _compare(self):
        left = self._unary()
        while self._peek() in (("op", "=="), ("op", "!=")):
            _, op = self._take()
            right = self._unary()
            same = _as_text(left).lower() == _as_text(right).lower()
            left = same if op == "==" else not same
        return left

    def _unary(self):
        if self._peek() == ("op", "!"):
            self._take()
            return not _truthy(self._unary())
        if self._peek() == ("op", "("):
            self._take()
            value = self._or()
            assert self._take() == ("op", ")")
            return value
        kind, value = self._take()
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "name":
            if value.endswith("()"):
                return self.status[value[:-2]] if value[:-2] != "always" else True
            if value in ("true", "false"):
                return value == "true"
            node: Any = self.contexts
            for part in value.split("."):
                node = node.get(part, "") if isinstance(node, dict) else ""
            return node
        raise ValueError(f"unexpected {value!r}")


def _truthy(value: Any) -> bool:
    return bool(value) and value != "false"


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def run_action(
    action_dir: Path,
    inputs: dict[str, str],
    env: dict[str, str],
    *,
    skip: dict[str, dict[str, str]] | None = None,
    timeout: float = 1800,
) -> ActionRun:
    """Run the composite action at ``action_dir``. ``env`` must hold the
    runner's variables (GITHUB_WORKSPACE, RUNNER_TEMP, ...). ``skip`` names
    steps (by id) not to run, with the outputs they would have given."""
    action = yaml.safe_load((action_dir / "action.yml").read_text())
    values = {name: str(spec.get("default", "")) for name, spec in (action.get("inputs") or {}).items()}
    values.update(inputs)
    temp = Path(env["RUNNER_TEMP"])
    temp.mkdir(parents=True, exist_ok=True)
    steps_ctx: dict[str, Any] = {}
    contexts = {
        "inputs": values,
        "steps": steps_ctx,
        "github": {"action_path": str(action_dir), "workspace": env["GITHUB_WORKSPACE"]},
        "runner": {"temp": str(temp), "os": "Linux"},
        "env": env,
    }
    status = {"success": True, "failure": False, "cancelled": False}
    expressions = Expressions(contexts, status)
    extra_path: list[str] = []
    records = []
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        record = StepRecord(name, step.get("id"), False, "run" if "run" in step else "uses")
        records.append(record)
        if not expressions.condition(step.get("if")):
            continue
        record.ran = True
        if record.id and skip and record.id in skip:
            record.outputs = dict(skip[record.id])
            steps_ctx[record.id] = {"outputs": record.outputs, "outcome": "success"}
            continue
        if "uses" in step:
            record.uses = step["uses"]
            record.with_ = {k: expressions.substitute(v) for k, v in (step.get("with") or {}).items()}
            if record.id:
                steps_ctx[record.id] = {"outputs": {}, "outcome": "success"}
            continue
        files = {key: temp / f"_{key.lower()}_{index}" for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH", "GITHUB_ENV")}
        for path in files.values():
            path.write_text("")
        step_env = dict(env)
        step_env.update({key: str(path) for key, path in files.items()})
        step_env["GITHUB_ACTION_PATH"] = str(action_dir)
        if extra_path:
            step_env["PATH"] = os.pathsep.join([*reversed(extra_path), env.get("PATH", "")])
        step_env.update({k: expressions.substitute(v) for k, v in (step.get("env") or {}).items()})
        script = temp / f"_step_{index}.sh"
        script.write_text(expressions.substitute(step["run"]))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=env["GITHUB_WORKSPACE"],
            env=step_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        record.exit_code = done.returncode
        record.stdout, record.stderr = done.stdout, done.stderr
        record.outputs = _read_outputs(files["GITHUB_OUTPUT"])
        record.summary = files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        extra_path += [line for line in files["GITHUB_PATH"].read_text().splitlines() if line]
        if record.id:
            steps_ctx[record.id] = {"outputs": record.outputs, "outcome": "success" if done.returncode == 0 else "failure"}
        if done.returncode != 0:
            status.update(success=False, failure=True)
    outputs = {name: expressions.substitute(spec.get("value", "")) for name, spec in (action.get("outputs") or {}).items()}
    return ActionRun(records, outputs, status["failure"])
