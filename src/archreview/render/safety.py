"""A second line of defence against secrets in what we print.

Analyzers never put a secret value into a finding (only a redacted preview).
The human-readable formats print only rule, path, line, message and plain
sentence of a finding - never ``basis`` or ``extra`` - and pass the text that
comes from the scanned files (readiness quotes, messages of secrets findings)
through :func:`mask`, which hides anything shaped like a credential.
"""

from __future__ import annotations

import re

_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@]+):([^/\s@]+)@")
_TOKEN = re.compile(r"[A-Za-z0-9+/_\-=.]{20,}")
_ASSIGNMENT = re.compile(
    r"(?i)\b([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|dsn|credential)s?[\w.-]*)"
    r"(\s*[:=]\s*|\s*=>\s*)([\"'])([^\s\"']{4,})\3"
)


def _mixed(part: str) -> bool:
    return len(part) >= 8 and bool(re.search(r"[a-z]", part) and re.search(r"[A-Z]", part) and re.search(r"[0-9]", part))


def _looks_random(token: str) -> bool:
    if "****" in token:
        return False  # already redacted
    if any(_mixed(part) for part in re.split(r"[/.]", token)):
        return True  # base64-like, even with slashes in it
    if len(token) >= 30 and "." not in token and re.search(r"[a-z]", token) and re.search(r"[A-Z]", token):
        return True  # long mixed-case run with no dot: a key, not a path or a name
    if token.count("/") >= 2 or token.count(".") >= 2:
        return False  # a path or a dotted name
    if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", token):
        return False  # snake_case or CONSTANT_CASE name
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    has_upper = any(c.isupper() for c in token)
    return has_digit and has_letter and (has_upper or len(token) >= 32)


def _hide(value: str) -> str:
    return value[:4] + "*" * max(4, min(16, len(value) - 4))


def mask(text: str | None) -> str:
    """``text`` with credential-shaped parts replaced by ``abcd****``."""
    if not text:
        return ""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}****:****@", str(text))
    text = _ASSIGNMENT.sub(
        lambda m: m.group(0) if "****" in m.group(4) else f"{m.group(1)}{m.group(2)}{m.group(3)}****{m.group(3)}",
        text,
    )
    return _TOKEN.sub(lambda m: _hide(m.group(0)) if _looks_random(m.group(0)) else m.group(0), text)


# bandit's hardcoded-password tests quote the literal they flagged, which may
# be a real password: the value is replaced, the rest of the message kept.
_QUOTED_PASSWORD = re.compile(r"(Possible hardcoded password: )(['\"]).*\Z", re.S)
PASSWORD_RULES = ("security.B105", "security.B106", "security.B107")


def finding_text(finding, text: str | None) -> str:
    """A finding's message or plain sentence, safe to print."""
    text = text or ""
    if finding.rule in PASSWORD_RULES:
        text = _QUOTED_PASSWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(2)}", text)
    if finding.area == "secrets" or finding.rule.startswith("secrets.") or finding.rule in PASSWORD_RULES:
        text = mask(text)
    return text
