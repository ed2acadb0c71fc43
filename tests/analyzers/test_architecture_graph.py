"""Graph algorithms and module naming of the architecture view."""

from __future__ import annotations

import sys

from archreview.analyzers.architecture.graph import shortest_cycle, strongly_connected
from archreview.analyzers.architecture.modules import build_module_map


def test_components_and_shortest_cycles():
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": {"e"},
        "e": {"d", "f"},
        "f": set(),
        "x": {"x"},
    }
    components = strongly_connected(graph)
    assert components == [["a", "b", "c"], ["d", "e"], ["x"]]
    assert shortest_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert shortest_cycle(graph, ["d", "e"]) == ["d", "e", "d"]


def test_shortest_cycle_is_the_shortest_not_the_first():
    # a long loop a->b->c->d->e->a and a short one c->d->c... through different starts
    graph = {"a": {"b"}, "b": {"c"}, "c": {"d"}, "d": {"e", "b"}, "e": {"a"}}
    (component,) = strongly_connected(graph)
    assert shortest_cycle(graph, component) == ["b", "c", "d", "b"]


def test_the_strongest_pair_is_the_example():
    graph = {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}
    (component,) = strongly_connected(graph)
    weight = {("a", "c"): 9, ("c", "a"): 4}
    assert shortest_cycle(graph, component, weight=weight) == ["a", "c", "a"]


def test_a_chain_longer_than_the_recursion_limit():
    size = sys.getrecursionlimit() * 3
    graph = {f"m{i}": {f"m{i + 1}"} for i in range(size)}
    graph[f"m{size}"] = {"m0"}
    (component,) = strongly_connected(graph)
    assert len(component) == size + 1
    cycle = shortest_cycle(graph, component)
    assert len(cycle) == size + 2 and cycle[0] == cycle[-1] == "m0"


def test_colliding_loose_modules_keep_one_name_and_get_path_names():
    modules = build_module_map(
        ["scripts/utils.py", "tools/utils.py", "tools/run.py", "pkg/__init__.py", "pkg/utils.py", "docs/conf.py"],
        set(),
    )
    assert modules.name_of("scripts/utils.py") == "utils"
    assert modules.name_of("tools/utils.py") == "tools.utils"
    assert modules.name_of("pkg/utils.py") == "pkg.utils"
    # a script's own folder comes first, as on sys.path
    assert modules.lookup("utils", modules.root_of["tools/run.py"]) == "tools/utils.py"
    assert modules.lookup("utils") == "scripts/utils.py"


def test_namespace_folder_inside_a_package_and_configured_roots():
    paths = ["netbox/dcim/__init__.py", "netbox/dcim/ui/panels.py", "backend/core/models.py"]
    modules = build_module_map(paths, set(), configured_roots=["backend"])
    assert modules.name_of("netbox/dcim/ui/panels.py") == "dcim.ui.panels"
    assert modules.name_of("backend/core/models.py") == "core.models"
    assert "dcim.ui" in modules.packages


def test_a_folder_named_like_a_third_party_package_is_not_a_namespace_package():
    paths = ["scripts/packaging/hatch.py", "app/__init__.py"]
    modules = build_module_map(paths, {"packaging", "packaging.version"})
    assert modules.name_of("scripts/packaging/hatch.py") == "hatch"
    assert "packaging" not in modules.top_names
