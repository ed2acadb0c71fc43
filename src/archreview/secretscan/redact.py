"""Redacted previews, and redaction of text that may hold a secret.

A preview shows at most the first four characters of a secret - only where
the rule says they are a fixed, public prefix such as ``AKIA`` or ``ghp_``,
and only for secrets of 16 characters or more - followed by a mask of fixed
length, so the preview tells neither the secret nor its length.
"""

from __future__ import annotations

import re

MASK = "*" * 16
MAX_SHOWN = 4
MIN_LENGTH_FOR_PREFIX = 16
_STRING_LITERAL = re.compile(r"""(?P<q>["'`])(?:(?!(?P=q))[^\\\r\n]|\\.)*(?P=q)""")


def preview(text: str, shown: int) -> str:
    shown = min(max(shown, 0), MAX_SHOWN)
    if len(text) < MIN_LENGTH_FOR_PREFIX:
        shown = 0
    head = text[:shown]
    if not all(33 <= ord(c) < 127 for c in head):
        head = ""
    return head + MASK


def mask_string_literals(text: str) -> str:
    """Every quoted string in ``text`` replaced by a fixed mask (quotes kept)."""
    return _STRING_LITERAL.sub(lambda m: m.group("q") + MASK + m.group("q"), text)


def redact_text(text: str, detector) -> str:
    """``text`` with every span any rule matches - allow-list and entropy
    ignored - replaced by its preview."""
    if not text:
        return text
    data = text.encode("utf-8", "surrogateescape")
    hits = detector.scan(data, strict=True)
    if not hits:
        return text
    out = bytearray()
    last = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < last:
            continue
        out += data[last : hit.start]
        out += hit.preview.encode()
        last = hit.end
    out += data[last:]
    return out.decode("utf-8", "replace")
