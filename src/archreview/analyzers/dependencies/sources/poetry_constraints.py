"""Poetry's version constraints (``^1.2``, ``~1.2.3``, ``1.2.*``, ``>=1 <2``,
``a || b``) as PEP 440 specifier strings, so that ``packaging`` can say what
they allow. https://python-poetry.org/docs/dependency-specification/"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

_ATOM_SPLIT = re.compile(r"\s*,\s*|\s+(?=[<>=!~^])")
_OPERATOR = re.compile(r"^(===|==|!=|<=|>=|~=|<|>)\s*(.+)$")


def to_pep440(constraint: str) -> tuple[str, ...] | None:
    """Alternatives (any of which allows a version); ``()`` for any version;
    None when the constraint cannot be read."""
    constraint = constraint.strip()
    if constraint in ("", "*"):
        return ()
    alternatives = []
    for part in re.split(r"\s*\|\|?\s*", constraint):
        if part in ("", "*"):
            return ()
        atoms = []
        for atom in _ATOM_SPLIT.split(part):
            converted = _atom(atom.strip())
            if converted is None:
                return None
            atoms.extend(converted)
        text = ",".join(atoms)
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            return None
        alternatives.append(text)
    return tuple(alternatives)


def _atom(atom: str) -> list[str] | None:
    if not atom or atom == "*":
        return []
    match = _OPERATOR.match(atom)
    if match:
        operator, version = match.groups()
        return [f"{operator}{version.strip()}"]
    if atom.startswith("^"):
        return _caret(atom[1:].strip())
    if atom.startswith("~"):
        return _tilde(atom[1:].strip())
    if atom.endswith(".*") or re.match(r"^\d", atom):
        return [f"=={atom}"]
    return None


def _release(version: str) -> list[int] | None:
    match = re.match(r"^(\d+(?:\.\d+)*)", version)
    if not match:
        return None
    return [int(p) for p in match.group(1).split(".")]


def _caret(version: str) -> list[str] | None:
    parts = _release(version)
    if parts is None:
        return None
    # the first non-zero part may not change (^0.0 and ^0 keep the last given part)
    index = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
    upper = parts[: index + 1]
    upper[-1] += 1
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def _tilde(version: str) -> list[str] | None:
    parts = _release(version)
    if parts is None:
        return None
    upper = parts[:2] if len(parts) >= 2 else parts[:1]
    upper[-1] += 1
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def pinned(alternatives: tuple[str, ...] | None) -> str | None:
    """The exact version a Poetry constraint pins (``1.2.3`` or ``==1.2.3``),
    given what :func:`to_pep440` made of it: a single ``==`` without
    wildcard (``===`` is not a pin)."""
    if not alternatives or len(alternatives) != 1 or "," in alternatives[0]:
        return None
    spec = alternatives[0]
    if spec.startswith("==") and not spec.startswith("===") and "*" not in spec:
        return spec[2:]
    return None
