"""An advisory's severity on archreview's one scale.

1. A CVSS vector (``severity[].type`` ``CVSS_V4``, ``CVSS_V3`` or ``CVSS_V2``,
   best first) is scored with the ``cvss`` library and mapped the way CVSS
   itself names its bands: 9.0-10 critical, 7.0-8.9 high, 4.0-6.9 medium,
   0.1-3.9 low, 0 info.
2. Else a word given by the database (``database_specific.severity`` or
   ``ecosystem_specific.severity``: CRITICAL, HIGH, MODERATE/MEDIUM, LOW).
3. Else the default, **high** unless ``default_severity`` says otherwise: most
   advisories carry no score (pip-audit's results never do), and of those in
   the PyPA advisory database that do, more than half are high or critical
   (median CVSS 7.5). A published flaw in a package the product ships is
   treated as serious until someone looks.
"""

from __future__ import annotations

from typing import Any

_WORDS = {
    "critical": "critical",
    "high": "high",
    "important": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "none": "info",
}
_VECTOR_ORDER = ("CVSS_V4", "CVSS_V3", "CVSS_V2")


def band(score: float) -> str:
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "info"


def cvss_score(kind: str, vector: str) -> float | None:
    try:
        import cvss
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    cls = {"CVSS_V4": getattr(cvss, "CVSS4", None), "CVSS_V3": cvss.CVSS3, "CVSS_V2": cvss.CVSS2}.get(kind)
    if cls is None:
        return None
    try:
        scored = cls(vector)
        return float(scored.base_score)
    except Exception:  # noqa: BLE001 - the library raises several types for bad vectors
        return None


def from_osv(record: dict[str, Any]) -> tuple[str, str] | None:
    """(severity, where it came from: cvss | advisory) or None when the record gives none."""
    vectors = {}
    for item in record.get("severity") or []:
        if isinstance(item, dict) and isinstance(item.get("score"), str):
            vectors.setdefault(item.get("type"), item["score"])
    for affected in record.get("affected") or []:
        for item in (affected or {}).get("severity") or []:
            if isinstance(item, dict) and isinstance(item.get("score"), str):
                vectors.setdefault(item.get("type"), item["score"])
    for kind in _VECTOR_ORDER:
        if kind in vectors:
            score = cvss_score(kind, vectors[kind])
            if score is not None:
                return band(score), "cvss"
    for holder in [record, *(record.get("affected") or [])]:
        for key in ("database_specific", "ecosystem_specific"):
            specific = (holder or {}).get(key)
            if isinstance(specific, dict) and isinstance(specific.get("severity"), str):
                word = _WORDS.get(specific["severity"].strip().lower())
                if word:
                    return word, "advisory"
    return None
