"""The module graph and the package graph, their cycles and metrics.

Edges are aggregated per (importer, imported) pair; an edge's ``kind`` is the
strongest of its import statements: ``runtime`` (runs when the module is
imported), then ``function`` (inside a function body: runs when called), then
``type_checking`` (never runs).

Cycles (strongly connected components, each with one shortest cycle path):

* ``kind: "import"`` - the loop exists among ``runtime`` edges: the modules
  cannot even be imported without each other;
* ``kind: "deferred"`` - the loop closes only through function-level imports,
  usually put there on purpose to break an import-time cycle. The parts still
  depend on each other, so these are reported, at a lower severity, and their
  cycle path goes through a function-level import. When such a component
  contains an import-time loop, ``joined`` lists the members it adds, and the
  shown cycle goes through one of them;
* ``type_checking`` edges are left out of cycles (and layer checks) unless
  ``include_type_checking = true``; they then count as ``runtime``.

Packages ("parts" of the code, the level a founder sees): the top-level
packages, and where one top-level package holds most of the code (more than
70 % of the modules, as in ``saleor/``), its sub-packages instead, repeated up
to three levels down; modules directly inside an expanded package stay in it.
``package_depth = N`` replaces this with "the first N components of each
module's package".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .graph import Graph, rotate, shortest_cycle, shortest_cycle_through, strongly_connected
from .modules import ModuleMap
from .resolve import FUNCTION, KIND_ORDER, RUNTIME, TYPE_CHECKING, ImportEdge

DOMINANT_SHARE = 0.7
MAX_EXPANSIONS = 3
MAX_DEFERRED_TRIES = 40
TOP_DEPENDED_ON = 10
TOP_HOTSPOTS = 10
HOTSPOT_MIN_CC = 20
HOTSPOT_MIN_DEGREE = 5


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    imports: int
    path: str  # file of the first import statement of the strongest kind
    line: int
    conditional: bool

    def as_dict(self, with_path: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "target": self.target, "kind": self.kind, "imports": self.imports}
        if with_path:
            data["path"] = self.path
        data["line"] = self.line
        if self.conditional:
            data["conditional"] = True
        return data


@dataclass
class Cycle:
    level: str  # package | module
    kind: str  # import | deferred
    members: list[str]
    cycle: list[str]
    steps: list[Edge]
    severity: str = "low"
    #: deferred cycles: the members not already in an import-time loop
    joined: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "kind": self.kind,
            "severity": self.severity,
            "size": len(self.members),
            "members": self.members,
            "cycle": self.cycle,
            "steps": [{"source": s.source, "target": s.target, "path": s.path, "line": s.line, "kind": s.kind} for s in self.steps],
            **({"joined": self.joined} if self.kind == "deferred" else {}),
        }


@dataclass
class Structure:
    modules: dict[str, str]  # module -> path (the graph's nodes)
    part_of: dict[str, str]  # module -> package ("part")
    edges: dict[tuple[str, str], Edge]
    package_edges: dict[tuple[str, str], Edge]
    cycles: list[Cycle] = field(default_factory=list)
    #: the imports between graph nodes that count for cycles and layer checks
    #: (see :func:`effective`)
    considered: list[ImportEdge] = field(default_factory=list)


def aggregate(imports: list[ImportEdge], key) -> dict[tuple[str, str], Edge]:
    """One edge per key(import) pair, with the strongest kind."""
    edges: dict[tuple[str, str], Edge] = {}
    for imp in sorted(imports, key=lambda i: (KIND_ORDER[i.kind], i.path, i.line)):
        pair = key(imp)
        if pair is None:
            continue
        edge = edges.get(pair)
        if edge is None:
            edges[pair] = Edge(pair[0], pair[1], imp.kind, 1, imp.path, imp.line, imp.conditional)
            continue
        edge.imports += 1
        if imp.kind == edge.kind:  # sorted: the first import has the strongest kind
            edge.conditional = edge.conditional and imp.conditional
    return edges


def effective(imports: list[ImportEdge], include_type_checking: bool) -> list[ImportEdge]:
    """The imports that count: type-checking ones dropped, or counted as runtime."""
    if not include_type_checking:
        return [i for i in imports if i.kind != TYPE_CHECKING]
    return [
        ImportEdge(i.source, i.target, i.path, i.line, RUNTIME, i.conditional) if i.kind == TYPE_CHECKING else i
        for i in imports
    ]


# ---------------------------------------------------------------- packages
def package_of(module: str, modules: ModuleMap) -> list[str]:
    parts = module.split(".")
    if modules.is_package(module):
        return parts
    return parts[:-1]


def loose_part(path: str) -> str:
    """The part of a module that is in no package: its folder, with a slash."""
    folder = path.rpartition("/")[0]
    return f"{folder}/" if folder else "./"


def choose_parts(nodes: dict[str, str], modules: ModuleMap, depth: int = 0) -> dict[str, str]:
    """module -> part name. ``nodes``: module -> path."""
    names = sorted(nodes)
    containers = {name: package_of(name, modules) for name in names}
    if depth > 0:
        parts = {n: ".".join(c[:depth]) if c else loose_part(nodes[n]) for n, c in containers.items()}
    else:
        expanded: set[str] = set()

        def part(name: str) -> str:
            container = containers[name]
            if not container:
                return loose_part(nodes[name])
            size = 1
            while size < len(container) and ".".join(container[:size]) in expanded:
                size += 1
            return ".".join(container[:size])

        for _ in range(MAX_EXPANSIONS):
            counts: dict[str, int] = {}
            for name in names:
                p = part(name)
                counts[p] = counts.get(p, 0) + 1
            if not counts:
                break
            biggest, size = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            has_children = any(
                len(containers[n]) > len(biggest.split(".")) and part(n) == biggest for n in names
            )
            if size < DOMINANT_SHARE * len(names) or not has_children:
                break
            expanded.add(biggest)
        parts = {n: part(n) for n in names}
    if len(set(parts.values())) == 1 and all(not containers[n] for n in names):
        return {n: n for n in names}  # a flat folder of modules: each module is a part
    return parts


# ---------------------------------------------------------------- cycles
def _graph(edges: dict[tuple[str, str], Edge], kinds: set[str]) -> Graph:
    graph: Graph = {}
    for (source, target), edge in edges.items():
        if edge.kind in kinds:
            graph.setdefault(source, set()).add(target)
    return graph


def _steps(cycle: list[str], edges: dict[tuple[str, str], Edge]) -> list[Edge]:
    return [edges[(a, b)] for a, b in zip(cycle, cycle[1:])]


def find_cycles(level: str, edges: dict[tuple[str, str], Edge]) -> list[Cycle]:
    runtime = _graph(edges, {RUNTIME})
    full = _graph(edges, {RUNTIME, FUNCTION})
    found: list[Cycle] = []
    runtime_sets = set()
    weight = {pair: edge.imports for pair, edge in edges.items()}
    for component in strongly_connected(runtime):
        if len(component) < 2:
            continue  # a module importing itself is harmless
        runtime_sets.add(tuple(component))
        path = shortest_cycle(runtime, component, weight=weight)
        found.append(Cycle(level, "import", component, path, _steps(path, edges)))
    looping = {member for component in runtime_sets for member in component}
    for component in strongly_connected(full):
        if len(component) < 2 or tuple(component) in runtime_sets:
            continue
        members = set(component)
        joined = [m for m in component if m not in looping]
        best = None
        deferred = sorted(
            pair for pair, e in edges.items() if e.kind == FUNCTION and pair[0] in members and pair[1] in members
        )
        touching = [pair for pair in deferred if pair[0] in joined or pair[1] in joined]
        for pair in (touching or deferred)[:MAX_DEFERRED_TRIES]:
            candidate = shortest_cycle_through(full, component, pair)
            if candidate is not None and (best is None or len(candidate) < len(best)):
                best = candidate
        path = rotate(best) if best else shortest_cycle(full, component, weight=weight)
        found.append(Cycle(level, "deferred", component, path, _steps(path, edges), joined=joined))
    return found


# ---------------------------------------------------------------- build
def build_structure(
    imports: list[ImportEdge],
    nodes: dict[str, str],
    modules: ModuleMap,
    include_type_checking: bool = False,
    package_depth: int = 0,
) -> Structure:
    """``nodes``: module -> path of the modules in the graph."""
    counted = [i for i in imports if i.source in nodes and i.target in nodes]
    part_of = choose_parts(nodes, modules, package_depth)
    edges = aggregate(counted, lambda i: (i.source, i.target))
    considered = effective(counted, include_type_checking)
    cycle_edges = aggregate(considered, lambda i: (i.source, i.target))

    def across(i: ImportEdge):
        a, b = part_of[i.source], part_of[i.target]
        return (a, b) if a != b else None

    package_edges = aggregate(counted, across)
    package_cycle_edges = aggregate(considered, across)
    module_cycles = find_cycles("module", cycle_edges)
    package_cycles = [
        c for c in find_cycles("package", package_cycle_edges) if not _layering_in_one_package(c, package_cycle_edges, module_cycles, part_of)
    ]
    return Structure(nodes, part_of, edges, package_edges, package_cycles + module_cycles, considered)


def _nested(a: str, b: str) -> bool:
    return b.startswith(a + ".") or a.startswith(b + ".")


def _layering_in_one_package(cycle: Cycle, edges: dict[tuple[str, str], Edge], module_cycles: list[Cycle], part_of) -> bool:
    """A loop between a package's own modules and its subpackages only - the
    entry point ``app/main.py`` imports ``app.api``, whose routes import
    ``app/models.py`` - while no module imports itself back: the parts look
    tangled because the top of the package holds both the wiring and what
    the subpackages share, not because any module needs another one that
    needs it. That is how most applications are laid out, not a loop to
    untangle (full-stack-fastapi-template: "app, api and core depend on each
    other in a loop" with none between modules)."""
    members = set(cycle.members)
    for looped in module_cycles:
        if looped.kind == "import" and len({part_of.get(m) for m in looped.members} & members) >= 2:
            return False
    across: Graph = {}
    for a, b in edges:
        if a in members and b in members and not _nested(a, b):
            across.setdefault(a, set()).add(b)
    # what is left once a package's ties to its own subpackages are set aside
    return not any(len(component) > 1 for component in strongly_connected(across))


def module_metrics(structure: Structure, include_type_checking: bool) -> dict[str, tuple[int, int]]:
    """module -> (fan_in, fan_out) over the edges that count."""
    fan_in: dict[str, int] = {}
    fan_out: dict[str, int] = {}
    for (source, target), edge in structure.edges.items():
        if edge.kind == TYPE_CHECKING and not include_type_checking:
            continue
        fan_out[source] = fan_out.get(source, 0) + 1
        fan_in[target] = fan_in.get(target, 0) + 1
    return {m: (fan_in.get(m, 0), fan_out.get(m, 0)) for m in structure.modules}


def package_metrics(structure: Structure, lines: dict[str, int], include_type_checking: bool) -> list[dict[str, Any]]:
    """Per package: modules, lines, fan-in/fan-out (distinct other packages),
    imports in/out (module pairs crossing the boundary), instability
    Ce / (Ca + Ce) with Ca = fan_in and Ce = fan_out (null when both are 0)."""
    parts: dict[str, dict[str, Any]] = {}
    for module, part in structure.part_of.items():
        entry = parts.setdefault(part, {"name": part, "modules": 0, "lines": 0, "fan_in": set(), "fan_out": set(), "imports_in": 0, "imports_out": 0})
        entry["modules"] += 1
        entry["lines"] += lines.get(structure.modules[module], 0)
    for (source, target), edge in structure.edges.items():
        if edge.kind == TYPE_CHECKING and not include_type_checking:
            continue
        a, b = structure.part_of[source], structure.part_of[target]
        if a == b:
            continue
        parts[a]["fan_out"].add(b)
        parts[a]["imports_out"] += 1
        parts[b]["fan_in"].add(a)
        parts[b]["imports_in"] += 1
    out = []
    for entry in parts.values():
        ca, ce = len(entry["fan_in"]), len(entry["fan_out"])
        entry.update(fan_in=ca, fan_out=ce, instability=round(ce / (ca + ce), 2) if ca + ce else None)
        out.append(entry)
    out.sort(key=lambda e: (-e["modules"], e["name"]))
    return out


def most_depended_on(structure: Structure, fans: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    ranked = sorted((m for m in structure.modules if fans[m][0] > 0), key=lambda m: (-fans[m][0], m))
    return [
        {"module": m, "path": structure.modules[m], "package": structure.part_of[m], "fan_in": fans[m][0]}
        for m in ranked[:TOP_DEPENDED_ON]
    ]


def _top_quarter(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) * 3) // 4] if ordered else 0


def hotspots(structure: Structure, fans: dict[str, tuple[int, int]], complexity: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """Modules both complex and central: in the top quarter of the graph's
    modules by total cyclomatic complexity and by degree (fan-in + fan-out),
    with at least 20 and 5 respectively; ranked by complexity x degree."""
    rows = []
    for module, path in structure.modules.items():
        cc_total, cc_max = complexity.get(path, (0, 0))
        rows.append((module, path, cc_total, cc_max, fans[module][0] + fans[module][1]))
    cc_floor = max(HOTSPOT_MIN_CC, _top_quarter([r[2] for r in rows]))
    degree_floor = max(HOTSPOT_MIN_DEGREE, _top_quarter([r[4] for r in rows]))
    chosen = [r for r in rows if r[2] >= cc_floor and r[4] >= degree_floor]
    chosen.sort(key=lambda r: (-(r[2] * r[4]), r[0]))
    return [
        {
            "module": module,
            "path": path,
            "package": structure.part_of[module],
            "fan_in": fans[module][0],
            "fan_out": fans[module][1],
            "cc_total": cc_total,
            "cc_max": cc_max,
        }
        for module, path, cc_total, cc_max, _ in chosen[:TOP_HOTSPOTS]
    ]
