"""What kind of file a path is, decided from the path alone (cheap, and the
same for a file in the snapshot and an old version in history).

Kinds: ``env`` (a committed environment file such as ``.env`` or
``prod.env``), ``env-example`` (``.env.example``, ``sample.env``), ``docs``
(documentation, and translation catalogues such as ``locales/de.json``),
``config`` (configuration syntax where values need no
quotes) and ``code`` (everything else).
"""

from __future__ import annotations

from .pack import PathRules


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1].lower()


def is_skipped(path: str, rules: PathRules) -> bool:
    """Binaries, lockfiles, minified assets, translations: never read."""
    name = basename(path)
    return name in rules.skip_names or name.endswith(rules.skip_suffixes)


def is_env_name(name: str) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def path_kind(path: str, rules: PathRules) -> str:
    name = basename(path)
    if is_env_name(name):
        parts = {p for p in name.replace("-", ".").replace("_", ".").split(".") if p}
        return "env-example" if parts & rules.env_example_markers else "env"
    folders = path.lower().split("/")[:-1]
    if name.endswith(rules.docs_suffixes) or any(f in rules.docs_dirs for f in folders):
        return "docs"
    if name.endswith(rules.translation_suffixes) and any(f in rules.translation_dirs for f in folders):
        return "docs"  # a translation catalogue: "password": "Adgangskode" is prose
    if name.endswith(_CODE_SUFFIXES):
        return "code"  # dockerfile.py is a module, not a Dockerfile
    if (
        name in rules.config_names
        or name.endswith(rules.config_suffixes)
        or name.startswith(rules.config_prefixes)
    ):
        return "config"
    return "code"


_CODE_SUFFIXES = (".py", ".pyw", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".rb", ".java", ".kt", ".php", ".cs", ".rs", ".swift", ".scala")
