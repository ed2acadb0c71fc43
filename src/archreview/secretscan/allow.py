"""Deciding that a match is not a real secret: entropy, placeholders,
references to the environment or a template, and the per-rule filters."""

from __future__ import annotations

import math
import re
from collections import Counter

from .pack import AllowList, Rule

# ${VAR}, $VAR, {{ var }}, {var}, %(var)s, %s, <var>, [var], __VAR__, <%= %>
_TEMPLATE = re.compile(
    r"""\$\{|\{\{|\{%|<%|%\([A-Za-z_]|^\$[A-Za-z_][A-Za-z0-9_]*$|^\$\(.*\)$|^%[sdr]$|\{[A-Za-z_][^{}]*\}|^\{\}$|^<[^<>]*>$|^\[[^\[\]]*\]$|^__[A-Z0-9_]+__$|^@[A-Za-z_]+@$"""
)
# the value slot holds code that reads the secret from somewhere else
_REFERENCE = re.compile(
    r"""(?i)^(?:os\.environ|os\.getenv|getenv|environ|env\(|env\.|config\(|settings\.|process\.env|import\.meta\.env|secrets\.|vault:|ssm:|arn:aws:secretsmanager|!vault|!env)"""
)
# a name rather than a value: user_password, DB_PASSWORD, authToken,
# TokenAuthProvider, accounts.forms.SetPasswordForm, sumo:wiki:full-rebuild
_IDENTIFIER = re.compile(
    r"^(?:[a-z][a-z_.\-]*|[A-Z][A-Z0-9_]*_[A-Z0-9_]*|[a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]+(?:[A-Z][a-z]+)+"
    r"|(?:[a-z_][a-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*"
    # a namespaced cache or lock key: sumo:wiki:full-rebuild
    r"|[a-z][a-z_-]*(?::[a-z][a-z_-]*)+)$"
)
# code that computes the value: pdfPassword(), this.auth.token(), getSecret(name)
# (an Angular or Vue binding such as [password]="pdfPassword()" holds code)
# (arguments: names, numbers or short string literals: user.get("password"))
_CALL = re.compile(
    r"""^(?:this\.)?[a-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*\((?:[A-Za-z0-9_$.,\s]|"[^"]{0,40}"|'[^']{0,40}')*\)$"""
)
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """displayName -> display_Name, so name patterns see its parts."""
    return _CAMEL_HUMP.sub("_", name)
_PATH_LIKE = re.compile(r"^(?:\.{0,2}/|~/|[A-Za-z]:\\)|://|^[a-z0-9_.-]+(?:/[a-z0-9_.-]+)+/?$|\.(?:html?|txt|json|ya?ml|py|js|ts|css|png|jpe?g|svg|pem|crt|key|cfg|ini|conf|log|csv|xml|toml|env|j2|jinja2?)$", re.I)
_PASSWORD_HASH = re.compile(r"^(?:pbkdf2_sha\d+\$|bcrypt(?:_sha256)?\$|argon2|scrypt\$|sha1\$|md5\$|crypt\$|\$2[abxy]\$|\$argon2|\$[156]\$|\{SSHA\}|\{SHA\})")
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def shannon_entropy(value: bytes) -> float:
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def is_repetitive(text: str) -> bool:
    """xxxxxxxx, 00000000, ababab: few distinct characters, or one dominant one."""
    if not text:
        return True
    counts = Counter(text.lower())
    return len(counts) <= 3 or max(counts.values()) * 2 > len(text)


def has_sequence(text: str, run: int = 6) -> bool:
    """123456, abcdef, qwerty: typed by a person, not generated."""
    lowered = text.lower()
    for sequence in _SEQUENCES:
        for start in range(len(sequence) - run + 1):
            if sequence[start : start + run] in lowered:
                return True
    return False


def is_template(text: str) -> bool:
    return bool(_TEMPLATE.search(text)) or bool(_REFERENCE.match(text))


def looks_like_placeholder(text: str, allow: AllowList, words: bool = True) -> bool:
    lowered = text.lower()
    if lowered in allow.placeholder_values:
        return True
    if not any(ch.isalnum() for ch in text):  # "---", "***", "...": a blank to fill in
        return True
    if words and any(word in lowered for word in allow.placeholder_words):
        return True
    if words and any(ch in _LEET for ch in lowered):
        # t0p-s3cr3t, ch4ng3m3: a placeholder spelt in digits is still one
        plain = lowered.translate(_LEET)
        if plain in allow.placeholder_values or any(word in plain for word in allow.placeholder_words):
            return True
    return is_template(text)


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def rejected_by_filters(rule: Rule, text: str, name: str, groups: dict[str, str]) -> bool:
    """The per-rule filters named in the pack (``filters = [...]``)."""
    filters = rule.filters
    if "identifier" in filters and (_IDENTIFIER.match(text) or _CALL.match(text)):
        return True
    if "path" in filters and _PATH_LIKE.search(text):
        return True
    if "password-hash" in filters and _PASSWORD_HASH.match(text):
        return True
    if "digits" in filters and text.isdigit():
        return True
    if "same-as-name" in filters and name and _squash(text) in {_squash(name), _squash(name.rsplit(".", 1)[-1])}:
        return True
    if "same-as-user" in filters and groups.get("user") and text.lower() == groups["user"].lower():
        return True
    if "same-as-address" in filters:
        # the password repeats the database's name or the host's first label
        names = {(groups.get("database") or "").lower(), (groups.get("host") or "").split(".")[0].lower()}
        if text.lower() in names - {""}:
            return True
    return False


def host_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) or host == pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def is_allowed(rule: Rule, secret: bytes, text: str, name: str, groups: dict[str, str], allow: AllowList) -> bool:
    """True when the match is not to be reported."""
    if len(text) < rule.min_length:
        return True
    if secret in allow.known_examples:
        return True
    if looks_like_placeholder(text, allow, words=rule.placeholders):
        return True
    if is_repetitive(text) or (rule.placeholders and has_sequence(text)):
        return True
    if rule.entropy and shannon_entropy(secret) < rule.entropy:
        return True
    if rejected_by_filters(rule, text, name, groups):
        return True
    if rule.allow_hosts and groups.get("host") and host_allowed(groups["host"], rule.allow_hosts):
        return True
    return any(pattern.search(text) for pattern in allow.extra)
