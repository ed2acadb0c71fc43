"""From repository paths to Python module names, without importing anything.

How a file gets its name (the name other code imports it by):

1. under a configured source root (``roots = ["src", "backend"]``): the path
   below the longest matching root, dotted;
2. otherwise the way Python finds regular packages: climb the folders while
   they hold an ``__init__.py``; the folder where climbing stops is the file's
   root (``src/`` for a ``src/`` layout, ``netbox/`` for netbox's
   ``netbox/dcim/...``, the repository root for ``saleor/...``); several
   top-level packages each find their own root;
3. namespace packages (folders without ``__init__.py``): a folder ``D`` whose
   name is imported by the code as ``D.x...`` (absolute import), where ``D/x``
   exists and no regular package or module is called ``D``, is a top-level
   namespace package: everything below it is named from ``D``'s parent;
4. ``pkg/__init__.py`` is the module ``pkg``.

When two files get the same name (e.g. ``scripts/utils.py`` and
``tools/utils.py``, both ``utils``), a file inside a package wins over a loose
script, then the shallower path, then the first in path order; the others are
named by their dotted path from the repository root (``tools.utils``). An
absolute import is first looked up among the files of the importing file's
own root (the way a script's folder comes first on ``sys.path``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _stem(filename: str) -> str:
    return filename.rsplit(".", 1)[0]


def _dotted(relative: str) -> list[str]:
    """``a/b/c.py`` -> [a, b, c]; ``a/b/__init__.py`` -> [a, b]."""
    parts = relative.split("/")
    last = _stem(parts[-1])
    return parts[:-1] if last == "__init__" else parts[:-1] + [last]


def _is_identifier_path(parts: list[str]) -> bool:
    return bool(parts) and all(p.isidentifier() for p in parts)


@dataclass
class ModuleMap:
    by_path: dict[str, str] = field(default_factory=dict)  # path -> module name
    by_name: dict[str, str] = field(default_factory=dict)  # module name -> path
    root_of: dict[str, str] = field(default_factory=dict)  # path -> source root folder ("" = repository root)
    local: dict[tuple[str, str], str] = field(default_factory=dict)  # (root, name) -> path
    packages: set[str] = field(default_factory=set)  # names of packages (regular and namespace)
    top_names: set[str] = field(default_factory=set)  # first components that belong to the repository
    namespace_dirs: list[str] = field(default_factory=list)

    def lookup(self, name: str, root: str | None = None) -> str | None:
        """Path of the module ``name`` (own root first), or None."""
        if root is not None:
            path = self.local.get((root, name))
            if path is not None:
                return path
        return self.by_name.get(name)

    def name_of(self, path: str) -> str | None:
        return self.by_path.get(path)

    def is_package(self, name: str) -> bool:
        return name in self.packages


def _climb(path: str, init_dirs: set[str]) -> tuple[str, list[str]]:
    """(root folder, name parts) the way Python finds the file: from the
    nearest folder with an ``__init__.py`` (folders without one in between are
    namespace packages inside that package), up while folders have one."""
    folder, _, filename = path.rpartition("/")
    stem = _stem(filename)
    names = [] if stem == "__init__" else [stem]
    anchor = folder
    while anchor and anchor not in init_dirs:
        anchor = anchor.rpartition("/")[0]
    if not anchor:
        return folder, names
    while folder != anchor:
        folder, _, base = folder.rpartition("/")
        names.insert(0, base)
    while folder and folder in init_dirs:
        folder, _, base = folder.rpartition("/")
        names.insert(0, base)
    return folder, names


def _under(path: str, root: str) -> bool:
    return not root or path.startswith(root + "/")


def build_module_map(
    paths: list[str],
    imported: set[str],
    configured_roots: list[str] | tuple[str, ...] = (),
) -> ModuleMap:
    """``paths``: every Python file of the snapshot (see
    :func:`archreview.selection.is_python_path`); ``imported``: the absolute
    module names the code imports, with ``from a import b`` as ``a.b`` (for
    namespace packages)."""
    paths = sorted(paths)
    init_dirs = {p.rpartition("/")[0] for p in paths if p.rpartition("/")[2] == "__init__.py"}
    init_dirs.discard("")
    roots_cfg = sorted({r.strip("/") for r in configured_roots}, key=lambda r: -len(r))

    named: dict[str, tuple[str, list[str]]] = {}  # path -> (root, name parts)
    for path in paths:
        root = next((r for r in roots_cfg if _under(path, r)), None)
        if root is not None:
            named[path] = (root, _dotted(path[len(root) + 1 :] if root else path))
        else:
            named[path] = _climb(path, init_dirs)
    regular_tops = {parts[0] for parts in (n for _, n in named.values()) if parts}

    # namespace packages: folders without __init__.py that the code imports by name
    folders_by_name: dict[str, set[str]] = {}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder:
            if folder not in init_dirs:
                folders_by_name.setdefault(folder.rpartition("/")[2], set()).add(folder)
            folder = folder.rpartition("/")[0]
    namespace_dirs: set[str] = set()
    path_set = set(paths)
    all_dirs = {folder for names in folders_by_name.values() for folder in names} | init_dirs
    for name in imported:
        head, _, rest = name.partition(".")
        if head in regular_tops or head not in folders_by_name:
            continue
        child = rest.partition(".")[0]
        for folder in folders_by_name[head]:
            if any(_under(folder, r) and r for r in roots_cfg):
                continue
            if not child:
                continue  # "import ns" alone is no evidence: a third-party package may have that name
            if f"{folder}/{child}.py" in path_set or f"{folder}/{child}" in all_dirs:
                namespace_dirs.add(folder)
    # keep the outermost namespace folders
    namespace_dirs = {d for d in namespace_dirs if not any(o != d and d.startswith(o + "/") for o in namespace_dirs)}
    for path in paths:
        outer = next((d for d in sorted(namespace_dirs) if path.startswith(d + "/")), None)
        if outer is not None:
            root = outer.rpartition("/")[0]
            named[path] = (root, _dotted(path[len(root) + 1 :] if root else path))

    modules = ModuleMap(namespace_dirs=sorted(namespace_dirs))
    candidates: dict[str, list[str]] = {}
    for path, (root, parts) in named.items():
        if not _is_identifier_path(parts):
            continue
        name = ".".join(parts)
        modules.local.setdefault((root, name), path)
        modules.root_of[path] = root
        candidates.setdefault(name, []).append(path)

    def preference(path: str) -> tuple[int, int, str]:
        root, parts = named[path]
        loose = len(parts) == 1 and not path.endswith("/__init__.py")
        return (1 if loose else 0, path.count("/"), path)

    for name, owners in sorted(candidates.items()):
        owners.sort(key=preference)
        _assign(modules, owners[0], name)
        for other in owners[1:]:
            alternative = ".".join(_dotted(other))
            if _is_identifier_path(alternative.split(".")) and alternative not in candidates and alternative not in modules.by_name:
                _assign(modules, other, alternative)

    for name, path in modules.by_name.items():
        parts = name.split(".")
        if path.endswith("/__init__.py"):
            modules.packages.add(name)
        for i in range(1, len(parts)):
            modules.packages.add(".".join(parts[:i]))  # parents (regular or namespace)
    modules.top_names = regular_tops | {d.rpartition("/")[2] for d in namespace_dirs} | {
        n.split(".")[0] for n in modules.by_name
    }
    return modules


def _assign(modules: ModuleMap, path: str, name: str) -> None:
    modules.by_path[path] = name
    modules.by_name[name] = path
