"""The architecture view: how the repository's own Python modules depend on
each other, where they are tangled, and which outside packages they use.

Built from the ``imports`` file analyzer's per-file output (the trees the
engine parsed once; nothing of the scanned code is imported or run) and the
snapshot's file list. The section's shape is in ``docs/result-schema.md``.

Configuration::

    [tool.archreview]
    # optional layer rules, top first; a layer may import the layers below it,
    # never the ones above. An entry is a module prefix or a list of prefixes
    # that form one layer.
    layers = ["app.api", "app.services", "app.models"]

    [tool.archreview.architecture]
    include_tests = false          # test files in the graph
    include_type_checking = false  # TYPE_CHECKING imports in cycles and layer checks
    package_depth = 0              # 0: automatic (see structure.py)
    roots = []                     # source roots when detection gets them wrong, e.g. ["src", "backend"]

The layers live at the top level because they describe the product's
intended structure, not a setting of this analyzer (a future import-rules
check reads the same key).
"""

from __future__ import annotations

from typing import Any

from ...errors import ConfigError
from ...selection import is_python_path
from ..base import RepoAnalyzer, RepoContext, RepoOutput
from .findings import cycle_finding, cycle_severity, layer_violations, summary_counts
from .modules import build_module_map
from .resolve import resolve_all
from .structure import build_structure, hotspots, module_metrics, most_depended_on, package_metrics

_BOOL_KEYS = ("include_tests", "include_type_checking")


def read_settings(config) -> dict[str, Any]:
    section = config.section("architecture")
    settings: dict[str, Any] = {"include_tests": False, "include_type_checking": False, "package_depth": 0, "roots": []}
    for key, value in section.items():
        if key not in settings:
            raise ConfigError(f"[tool.archreview.architecture]: unknown setting {key!r}")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise ConfigError(f"[tool.archreview.architecture]: {key} must be true or false")
        if key == "package_depth" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ConfigError("[tool.archreview.architecture]: package_depth must be a whole number >= 0")
        if key == "roots" and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ConfigError("[tool.archreview.architecture]: roots must be a list of folder paths")
        settings[key] = value
    settings["layers"] = read_layers(config.get("layers", []))
    return settings


def read_layers(value: Any) -> list[list[str]]:
    problem = "layers must be a list of module prefixes (or lists of prefixes), top layer first"
    if not isinstance(value, list):
        raise ConfigError(problem)
    layers = []
    for item in value:
        group = [item] if isinstance(item, str) else item
        if not isinstance(group, list) or not group or not all(isinstance(p, str) and p.strip(".") for p in group):
            raise ConfigError(problem)
        layers.append([p.strip(".") for p in group])
    return layers


class ArchitectureAnalyzer(RepoAnalyzer):
    name = "architecture"
    version = "3"

    def run(self, context: RepoContext) -> RepoOutput:
        settings = read_settings(context.config)
        output = RepoOutput()
        per_file = context.file_results.get("imports", {})
        imports_by_path = {}
        for path, result in per_file.items():
            if "imports" not in result:
                continue
            if not settings["include_tests"] and context.selector.role(path) == "test":
                continue
            imports_by_path[path] = result["imports"]

        python_paths = [f.path for f in context.snapshot.files if is_python_path(f.path)]
        imported = set()
        for result in per_file.values():
            for entry in result.get("imports", ()):
                if not entry.get("level") and entry.get("module"):
                    imported.add(entry["module"])
                    imported.update(f"{entry['module']}.{name}" for name in entry.get("names", ()))
        modules = build_module_map(python_paths, imported, settings["roots"])
        imports, third_party = resolve_all(modules, imports_by_path)
        nodes = {modules.name_of(p): p for p in imports_by_path if modules.name_of(p)}
        structure = build_structure(
            imports, nodes, modules, settings["include_type_checking"], settings["package_depth"]
        )
        for cycle in structure.cycles:
            cycle.severity = cycle_severity(cycle)
        violations = layer_violations(structure.considered, settings["layers"])
        output.findings = [cycle_finding(c) for c in structure.cycles] + violations
        for group in settings["layers"]:
            for prefix in group:
                if not any(m == prefix or m.startswith(prefix + ".") for m in nodes):
                    output.notes.append(f"architecture: the layer {prefix!r} in the layers setting matches no module")

        lines = {f.path: f.sloc for f in context.files}
        complexity = {f.path: (f.cc_total, f.cc_max) for f in context.files}
        fans = module_metrics(structure, settings["include_type_checking"])
        packages = package_metrics(structure, lines, settings["include_type_checking"])
        package_loops = [c for c in structure.cycles if c.level == "package" and c.kind == "import"]
        shown = {pair for c in package_loops for pair in zip(c.cycle, c.cycle[1:])}
        component = {member: i for i, c in enumerate(package_loops) for member in c.members}
        for entry in packages:
            entry["in_cycle"] = entry["name"] in component
        output.sections["architecture"] = {
            "settings": {
                "include_tests": settings["include_tests"],
                "include_type_checking": settings["include_type_checking"],
                "package_depth": settings["package_depth"],
                "layers": settings["layers"],
            },
            "roots": sorted({modules.root_of[path] for path in nodes.values()}),
            "namespace_packages": modules.namespace_dirs,
            "nodes": [
                {
                    "id": module,
                    "path": path,
                    "package": structure.part_of[module],
                    "fan_in": fans[module][0],
                    "fan_out": fans[module][1],
                }
                for module, path in sorted(structure.modules.items())
            ],
            "edges": [e.as_dict() for _, e in sorted(structure.edges.items())],
            "packages": packages,
            "package_edges": [
                {
                    **e.as_dict(with_path=True),
                    "tangle": e.source in component and component.get(e.source) == component.get(e.target),
                    "cycle": (e.source, e.target) in shown,
                }
                for _, e in sorted(structure.package_edges.items())
            ],
            "cycles": [c.as_dict() for c in structure.cycles],
            "metrics": {
                "modules": len(structure.modules),
                "edges": len(structure.edges),
                "packages": len(packages),
                "cycles": summary_counts(structure.cycles, violations),
                "most_depended_on": most_depended_on(structure, fans),
                "hotspots": hotspots(structure, fans, complexity),
            },
            "third_party": third_party.as_list(),
        }
        return output
