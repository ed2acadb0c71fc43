"""Plain words for the founder: names of areas and checklist items, and what
each kind of action is, why it matters and what "done" looks like.

Short sentences and everyday words on purpose: the prose of the report must
read at Flesch reading ease 50 or more.
"""

from __future__ import annotations

import re

AREA_NAMES = {
    "complexity": "Code complexity",
    "security": "Security of the code",
    "secrets": "Passwords and keys",
    "dependencies": "Outside libraries",
    "readiness": "Running in production",
    "architecture": "Structure",
    "activity": "Team and change",
}

READINESS_NAMES = {
    "backups": "Backups",
    "monitoring_metrics": "Monitoring",
    "error_tracking": "Error tracking",
    "alerting": "Alerts to a person",
    "health_check": "Health checks",
    "logging_config": "Logging",
    "ci": "Automatic checks (CI)",
    "dependency_updates": "Library update bot",
    "tests": "Tests",
    "container": "Container setup",
    "iac": "Servers described as code",
    "security_policy": "Security contact",
    "codeowners": "Code owners",
    "python_lockfile": "Pinned library versions",
    "runbooks": "Incident runbooks",
}

# The operational safety nets shown in the main report; the rest of the
# checklist is in the appendix.
READINESS_MAIN = ("backups", "monitoring_metrics", "alerting", "health_check", "error_tracking", "runbooks")

STATUS_WORDS = {"present": "Found", "partial": "Partly", "absent": "Not found"}

# key -> (title, why, done when). {n}: findings covered, {files}: files.
ACTION_TEXT: dict[str, tuple[str, str, str]] = {
    "secrets": (
        "Remove {n} [password or key|passwords or keys] from the code and replace [it|them]",
        "Anyone who can read the code can use the keys written in it to get into your systems or run up bills.",
        "The keys are changed at each provider and the next review finds no keys in the code.",
    ),
    "secrets.history": (
        "Change {n} [password or key|passwords or keys] that [is|are] still readable in the git history",
        "Deleting a key from the code does not hide it: anyone with a copy of the repository can still read it.",
        "Each key is changed at its provider (or confirmed to be a test value), so the old one no longer works.",
    ),
    "deps.vulnerable": (
        "Upgrade {n} [library|libraries] with known security holes",
        "Attackers look for products that run libraries with known holes.",
        "The next review finds no known holes in these libraries.",
    ),
    "deps.abandoned": (
        "Plan to replace {n} [library|libraries] that nobody maintains any more",
        "No one will fix new security holes in these libraries.",
        "Each one is replaced or has a plan, and the next review no longer flags it.",
    ),
    "deps.outdated": (
        "Bring {n} old [library|libraries] up to date",
        "The longer an upgrade waits, the bigger and riskier it gets.",
        "The next review no longer flags these libraries as far behind.",
    ),
    "deps.yanked": (
        "Move off {n} [release|releases] that [its authors|their authors] pulled back",
        "Authors pull a release back when it is broken or unsafe.",
        "The next review finds no pulled-back release in use.",
    ),
    "deps.no-lockfile": (
        "Add a lock file for the product's libraries",
        "Without one, each install can pull in other versions, and a bad release can break the product overnight.",
        "A lock file pins every library, and the next review no longer flags it.",
    ),
    "deps.unpinned": (
        "Pin exact versions for {n} [library|libraries]",
        "Without exact versions, a new release can change the product without anyone deciding to.",
        "Every library has an exact version in a lock file.",
    ),
    "security.passwords": (
        "Check {n} [place that looks|places that look] like a password in the code",
        "A password in the code can be read by anyone who sees the code.",
        "Real passwords come from settings outside the code, and the next review no longer flags these places.",
    ),
    "security.weak-hash": (
        "Replace a weak hash function in {n} [place|places]",
        "Attackers can break this kind of hash where it guards passwords or signed data; where it only names files or records, saying so in the code clears it.",
        "These places use a strong hash, or are marked as not used for security.",
    ),
    "security.sql": (
        "Build {n} database [query|queries] the safe way",
        "Queries built by joining text can let attackers read or change your data.",
        "These queries pass values as parameters and the next review no longer flags them.",
    ),
    "security.shell": (
        "Run {n} system [command|commands] without the shell",
        "Text from users could run other commands on your server.",
        "These commands run without the shell and the next review no longer flags them.",
    ),
    "security.html": (
        "Check {n} [place that marks|places that mark] text as safe HTML",
        "Text that is not escaped can let attackers put scripts into your pages.",
        "Each place escapes the text, and the next review no longer flags it.",
    ),
    "security.timeouts": (
        "Add time limits to {n} outgoing web [request|requests]",
        "A slow outside service can hang the product for your users.",
        "Every outgoing request has a time limit.",
    ),
    "security.random": (
        "Use a safe random source in {n} [place|places]",
        "Tokens made with a weak random source can be guessed.",
        "These places use the secrets module, or are marked as not used for security.",
    ),
    "security.asserts": (
        "Replace {n} assert [check|checks] with real checks",
        "Python can skip assert lines, so these checks may not run in production.",
        "These checks raise real errors, and the next review no longer flags them.",
    ),
    "security.swallowed-errors": (
        "Stop hiding errors in {n} [place|places]",
        "Failures that are hidden go unnoticed until a customer finds them.",
        "Each place logs or handles the error.",
    ),
    "security.certificates": (
        "Check certificates on {n} secure [connection|connections]",
        "Without the check, someone in the middle can read or change the traffic.",
        "Every connection checks certificates.",
    ),
    "security.unsafe-load": (
        "Stop loading untrusted data in {n} [place|places]",
        "Crafted data can run code on your server.",
        "These places use a safe format, and the next review no longer flags them.",
    ),
    "security.temp-files": (
        "Create temporary files safely in {n} [place|places]",
        "Other programs on the server can tamper with these files.",
        "These places use the tempfile module.",
    ),
    "complexity:hotspots": (
        "Simplify the complex code that changes most often ({files})",
        "This is where the team spends the most time, so tangled code here costs the most.",
        "These functions are split into smaller parts, and the next review no longer flags them.",
    ),
    "complexity.function:serious": (
        "Simplify the {n} most tangled [function|functions]",
        "Changes to tangled code are slow, and they often break something.",
        "These functions are split into smaller parts, and the next review no longer flags them.",
    ),
    "complexity.function:minor": (
        "Simplify {n} more complex [function|functions]",
        "Complex code slows down every change made to it.",
        "The next review no longer flags these functions.",
    ),
    "complexity.maintainability": (
        "Split up {n} [file that is|files that are] hard to read",
        "New developers need extra time before they can change these files safely.",
        "The next review no longer flags these files.",
    ),
    "architecture.cycle": (
        "Untangle {n} [loop|loops] between parts of the code",
        "A change in one part of a loop can break the others.",
        "The next review finds no loops between these parts.",
    ),
    "architecture.layer-violation": (
        "Fix {n} [import|imports] that [goes|go] against the intended layers",
        "When layers lean on each other, one change spreads through the whole product.",
        "The next review finds no imports against the layers.",
    ),
    "security.other": (
        "Check {n} other risky [place|places] in the code",
        "",
        "Each place is fixed or marked as checked, and the next review no longer flags it.",
    ),
    # an empty "why" uses the finding's own plain text
    "activity.bus-factor": (
        "Spread knowledge that only one developer has",
        "",
        "A second developer has reviewed and changed this code, and the next review shows more than one main author.",
    ),
    "activity.knowledge-loss": (
        "Find a new owner for {n} [file|files] whose main authors have left",
        "",
        "A current developer has read [this file|these files], written down how [it works|they work] and is named the owner.",
    ),
    "practices.unpinned-action": (
        "Pin the outside build steps of {n} [pipeline|pipelines] to exact versions",
        "",
        "The next review finds no build step referenced by a movable tag.",
    ),
    "practices.workflow-permissions": (
        "Limit what the access token of {n} build [pipeline|pipelines] may do",
        "",
        "Each pipeline states the smallest permissions it needs.",
    ),
    "practices.write-all-permissions": (
        "Take full write access away from {n} build [pipeline|pipelines]",
        "",
        "No pipeline grants write access to everything.",
    ),
    "practices.dangerous-workflow": (
        "Stop {n} [pipeline|pipelines] from running outside contributors' code with your secrets",
        "",
        "The next review finds no pipeline that runs pull request code with secrets.",
    ),
    "practices.script-injection": (
        "Stop {n} [pipeline|pipelines] from pasting untrusted text into shell commands",
        "",
        "The next review finds no untrusted text in a pipeline's commands.",
    ),
    "practices.ci-ignores-failures": (
        "Let failing tests fail the build ({n} [place|places])",
        "",
        "A failing test turns the build red.",
    ),
    "practices.unsigned-tags": (
        "Sign release tags",
        "",
        "New release tags are signed.",
    ),
    "practices.binary-artifact": (
        "Remove {n} compiled [file|files] from the repository",
        "",
        "The files are built from source instead of being stored.",
    ),
}

READINESS_ACTIONS: dict[str, tuple[str, str, str]] = {
    "backups": (
        "Set up regular backups and test a restore",
        "If the database is lost, there is nothing to restore from.",
        "A scheduled backup is in the repository, and a restore has been tried.",
    ),
    "monitoring_metrics": (
        "Add monitoring of the product's health",
        "Without it, you learn about slow or broken service from your customers.",
        "The product sends health numbers to a monitoring tool.",
    ),
    "error_tracking": (
        "Set up error tracking",
        "Errors users hit are not collected, so no one sees them.",
        "An error tracker is set up in the code.",
    ),
    "alerting": (
        "Make sure a person is told when production breaks",
        "An outage can last hours before anyone notices.",
        "Alert rules send a message to someone on call.",
    ),
    "health_check": (
        "Add a health check",
        "Without one, the servers cannot tell when the product is stuck.",
        "The product has a health check that the servers use.",
    ),
    "logging_config": (
        "Set up logging",
        "When something goes wrong, there are no records to find out why.",
        "Logging is set up with levels and a place to keep the logs.",
    ),
    "ci": (
        "Run automatic checks on every change",
        "Mistakes reach production that a machine could have caught.",
        "Every change runs the tests before it is merged.",
    ),
    "dependency_updates": (
        "Turn on a library update bot",
        "Library fixes, security ones too, arrive late or never.",
        "Dependabot or Renovate is set up.",
    ),
    "tests": (
        "Run the tests on every change",
        "Tests that do not run cannot catch mistakes.",
        "CI runs the tests on every change.",
    ),
    "container": (
        "Package the product in a container",
        "Setting up a new server by hand is slow and easy to get wrong.",
        "A container file builds the product.",
    ),
    "iac": (
        "Describe the servers as code",
        "If a server is lost, no one knows exactly how to build it again.",
        "The servers are described in files in a repository.",
    ),
    "security_policy": (
        "Publish how to report a security problem",
        "People who find a hole do not know whom to tell.",
        "A SECURITY.md file says how to report a problem.",
    ),
    "codeowners": (
        "Name an owner for each part of the code",
        "Changes can be merged without the person who knows that code.",
        "A CODEOWNERS file names the owners.",
    ),
    "python_lockfile": (
        "Pin exact library versions with a lock file",
        "Two installs of the product can get different libraries.",
        "A lock file pins every library.",
    ),
    "runbooks": (
        "Write down what to do when production breaks",
        "In an outage, people guess instead of following steps.",
        "Runbooks for the main failures are in the repository.",
    ),
}

# bandit test id -> action key (families of tests fixed the same way)
SECURITY_FAMILIES = {
    **dict.fromkeys(("B105", "B106", "B107"), "security.passwords"),
    **dict.fromkeys(("B303", "B324"), "security.weak-hash"),
    **dict.fromkeys(("B608", "B610", "B611"), "security.sql"),
    **dict.fromkeys(("B601", "B602", "B604", "B605", "B609"), "security.shell"),
    **dict.fromkeys(("B308", "B703", "B704"), "security.html"),
    **dict.fromkeys(("B113",), "security.timeouts"),
    **dict.fromkeys(("B311",), "security.random"),
    **dict.fromkeys(("B101",), "security.asserts"),
    **dict.fromkeys(("B110", "B112"), "security.swallowed-errors"),
    **dict.fromkeys(("B323", "B501", "B507"), "security.certificates"),
    **dict.fromkeys(("B301", "B302", "B506", "B614"), "security.unsafe-load"),
    **dict.fromkeys(("B108", "B306"), "security.temp-files"),
}

GENERIC_ACTION = (
    "Fix {n} [issue|issues] found by the {rule} check",
    "",
    "The next review no longer flags [this place|these {n} places].",
)

_PLURAL = re.compile(r"\[([^|\]]*)\|([^\]]*)\]")


def fill(template: str, n: int, **values: str) -> str:
    """Fill ``{n}`` and the other fields, and pick ``[one|many]`` by ``n``."""
    text = _PLURAL.sub(lambda m: m.group(1) if n == 1 else m.group(2), template)
    return text.format(n=f"{n:,}", **values)


def count_text(n: int, one: str, many: str | None = None) -> str:
    """``1 file``, ``2,345 files`` (``many`` defaults to ``one`` + "s")."""
    many = many or one + "s"
    return f"{n:,} {one if n == 1 else many}"


def short_name(path: str, paths) -> str:
    """The end of ``path`` that no other of ``paths`` ends with: the file
    name when it is unique (settings.py), else with as many folders as it
    takes (api/models.py, front/views.py), never the whole path when less
    will do."""
    parts = path.split("/")
    others = [p for p in paths if p != path]
    for size in range(1, len(parts)):
        tail = "/".join(parts[-size:])
        if not any(p == tail or p.endswith("/" + tail) for p in others):
            return tail
    return path


def join_words(items: list[str], limit: int = 4) -> str:
    """``a, b and c``; past ``limit`` items, ``a, b, c, d and 2 more``. Empty
    items are left out."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


# What a rule is about, independent of any one finding (SARIF rule help).
RULE_DESCRIPTIONS = {
    "complexity.function": "A function with many paths through it is hard to test and easy to break when changed.",
    "complexity.maintainability": "A long, dense file that takes extra time to understand and change safely.",
    "deps.vulnerable": "A dependency version with a publicly known security hole.",
    "deps.outdated": "A dependency far behind its latest release; the longer an upgrade waits, the riskier it gets.",
    "deps.abandoned": "A dependency with no release for years; nobody may fix its next security hole.",
    "deps.yanked": "A dependency release that its authors pulled back, most often because it is broken or unsafe.",
    "deps.unpinned": "A dependency without an exact version, so a new release can change the product unnoticed.",
    "deps.no-lockfile": "No lockfile pins the dependencies, so two installs can get different versions.",
    "architecture.cycle": "Parts of the code that import each other in a loop, so a change to one can break the others.",
    "architecture.layer-violation": "An import that goes against the configured layers of the code.",
    "secrets": "A password, key or token is committed to the repository, where anyone who can read the code can use it.",
}


def rule_description(rule: str, example_plain: str = "") -> str:
    """A sentence about the rule itself (not one finding of it)."""
    from .analyzers.security_plain import plain_sentence

    for prefix in (rule, rule.split(".")[0]):
        if prefix in RULE_DESCRIPTIONS:
            return RULE_DESCRIPTIONS[prefix]
    if rule.startswith("security."):
        return plain_sentence(rule.split(".", 1)[1])
    if rule.startswith("readiness.") and rule.split(".", 1)[1] in READINESS_ACTIONS:
        name = READINESS_NAMES.get(rule.split(".", 1)[1], rule)
        return f"{name}: {READINESS_ACTIONS[rule.split('.', 1)[1]][1]}"
    return example_plain or rule
