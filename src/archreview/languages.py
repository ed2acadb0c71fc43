"""Product code in languages other than Python, which archreview does not
grade: counted by file name so that a report can say what its grades leave
out (a TypeScript frontend beside a Python backend)."""

from __future__ import annotations

from .rules import path_kind

#: file suffix -> language, for code a team writes by hand
SUFFIXES = {
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
    ".js": "JavaScript", ".jsx": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".vue": "Vue", ".svelte": "Svelte",
    ".go": "Go", ".rb": "Ruby", ".php": "PHP", ".java": "Java", ".kt": "Kotlin", ".scala": "Scala",
    ".rs": "Rust", ".cs": "C#", ".swift": "Swift", ".dart": "Dart",
    ".c": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".ex": "Elixir", ".exs": "Elixir",
}
#: generated or declaration-only files with those suffixes
_NOT_WRITTEN = (".d.ts", ".min.js", ".bundle.js", ".pb.go", "_pb.js", ".generated.ts")


def language_of(path: str) -> str | None:
    """The language of a code file at ``path`` from its name, None for
    anything else (Python, data, documentation, generated code)."""
    lower = path.lower()
    dot = lower.rfind(".")
    if dot < 0 or lower.endswith(_NOT_WRITTEN):
        return None
    return SUFFIXES.get(lower[dot:])


def other_language(path: str, role: str) -> str | None:
    """The language of a product code file archreview does not analyse:
    not Python, not a test, documentation, example or vendored code."""
    language = language_of(path)
    return language if language is not None and path_kind(path, role) == "source" else None
