"""The package diagram (mermaid) and the plain paragraph of the architecture view."""

from __future__ import annotations

import re

import pytest

from archreview.render import RenderContext, render
from archreview.render.diagrams import MAX_NODES, architecture_paragraph, package_diagram
from archreview.scan import run_scan

NODE = re.compile(r'^    (p\d+)\["([^"<>]+)<br/>(\d+) modules?"\]$')
LINK = re.compile(r"^    (p\d+) (-->|-\.->) (p\d+)$")
LINK_STYLE = re.compile(r"^    linkStyle (\d+(?:,\d+)*) stroke:#[0-9a-f]{6},stroke-width:\dpx$")
CLASS_DEF = re.compile(r"^    classDef loop [a-z-]+:[^ ]+$")
CLASS = re.compile(r"^    class (p\d+(?:,p\d+)*) loop$")
COMMENT = re.compile(r"^    %% .+$")


def parse_mermaid(text: str) -> dict:
    """A strict reader for the subset of mermaid flowchart syntax we write;
    fails on anything else."""
    lines = text.split("\n")
    assert lines[0] == "flowchart LR"
    nodes, links, red, loop_nodes = {}, [], [], []
    for line in lines[1:]:
        if m := NODE.match(line):
            assert m.group(1) not in nodes, f"node defined twice: {line}"
            nodes[m.group(1)] = (m.group(2), int(m.group(3)))
        elif m := LINK.match(line):
            assert m.group(1) in nodes and m.group(3) in nodes, f"link to an undefined node: {line}"
            assert m.group(1) != m.group(3)
            links.append((m.group(1), m.group(2), m.group(3)))
        elif m := LINK_STYLE.match(line):
            red += [int(i) for i in m.group(1).split(",")]
        elif CLASS_DEF.match(line) or COMMENT.match(line):
            pass
        elif m := CLASS.match(line):
            loop_nodes += m.group(1).split(",")
        else:
            raise AssertionError(f"not valid in our mermaid subset: {line!r}")
    assert all(0 <= i < len(links) for i in red)
    assert all(n in nodes for n in loop_nodes)
    return {"nodes": nodes, "links": links, "red": red, "loop_nodes": loop_nodes}


FIXTURE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "from shop.payments.gateway import charge\n",
    "shop/payments/__init__.py": "",
    "shop/payments/gateway.py": "from shop.orders.models import Order\n",
    "shop/catalog/__init__.py": "",
    "shop/catalog/views.py": (
        "from shop.orders import models\n\n\ndef later():\n    from shop.search import index\n"
    ),
    "shop/search/__init__.py": "",
    "shop/search/index.py": "from shop.catalog import views\n",
    "shop/settings.py": "",
    "shop/core/__init__.py": "",
    "shop/core/end.py": "",
}


@pytest.fixture
def shop(git_repo):
    git_repo.commit(FIXTURE, date="2025-04-01")
    result, _, _ = run_scan(git_repo.path, use_cache=False)
    return result


def test_diagram_of_a_scanned_repository(shop):
    section = shop.sections["architecture"]
    text = package_diagram(section)
    diagram = parse_mermaid(text)
    labels = {label: node for node, (label, _) in diagram["nodes"].items()}
    assert set(labels) == {"shop", "shop.orders", "shop.payments", "shop.catalog", "shop.search", "shop.core"}
    # the orders <-> payments loop is red, boxes and both links
    red_links = {(diagram["links"][i][0], diagram["links"][i][2]) for i in diagram["red"]}
    assert red_links == {
        (labels["shop.orders"], labels["shop.payments"]),
        (labels["shop.payments"], labels["shop.orders"]),
    }
    assert set(diagram["loop_nodes"]) == {labels["shop.orders"], labels["shop.payments"]}
    # catalog -> search only inside a function: dotted, not red
    assert (labels["shop.catalog"], "-.->", labels["shop.search"]) in diagram["links"]


def test_paragraph_names_the_parts_that_depend_on_each_other(shop):
    text = architecture_paragraph(shop.sections["architecture"])
    assert text.startswith(
        "The code is organised in 6 parts; orders and payments depend on each other, "
        "which makes changes to either risky."
    )


def test_markdown_report_has_the_architecture_section(shop):
    report = render("markdown", shop, RenderContext())
    section = report.split("### How the code is organised", 1)[1].split("## 5.", 1)[0]
    assert "orders and payments depend on each other" in section
    assert "```mermaid\nflowchart LR\n" in section
    appendix = report.split("### Appendix F. Structure", 1)[1].split("### Appendix G", 1)[0]
    assert "| package | 2 | shop.orders → shop.payments → shop.orders |" in appendix


def big_section(packages: int = 80) -> dict:
    names = ["big"] + [f"big.part{i}" for i in range(packages)] + [f"big.part0.sub{i}" for i in range(10)]
    names += ["loose/", "end", "a-b"]
    entries = [{"name": n, "modules": (i % 7) + 1, "lines": 100 + i, "in_cycle": n in {"big.part1", "big.part2"}} for i, n in enumerate(names)]
    edges = []
    for i in range(1, len(names)):
        edges.append({"source": names[i], "target": names[i - 1], "kind": "runtime", "imports": i % 5 + 1, "cycle": False})
    edges.append({"source": "big.part1", "target": "big.part2", "kind": "runtime", "imports": 1, "cycle": True})
    edges.append({"source": "big.part2", "target": "big.part1", "kind": "runtime", "imports": 1, "cycle": True})
    edges.append({"source": "end", "target": "a-b", "kind": "type_checking", "imports": 3, "cycle": False})
    return {
        "packages": entries,
        "package_edges": edges,
        "cycles": [{"level": "package", "kind": "import", "members": ["big.part1", "big.part2"], "cycle": ["big.part1", "big.part2", "big.part1"], "size": 2}],
    }


def test_a_large_repository_is_collapsed_to_the_node_cap():
    section = big_section()
    total = sum(p["modules"] for p in section["packages"])
    for cap in (MAX_NODES, 10, 3):
        diagram = parse_mermaid(package_diagram(section, max_nodes=cap))
        assert len(diagram["nodes"]) <= cap
        assert sum(count for _, count in diagram["nodes"].values()) == total  # nothing lost
        assert len(diagram["links"]) <= 40 + 2


def test_collapse_keeps_the_loop_visible_and_merges_small_children_into_parents():
    diagram = parse_mermaid(package_diagram(big_section(), max_nodes=MAX_NODES))
    labels = {label for label, _ in diagram["nodes"].values()}
    assert "big.part0.sub3" not in labels  # 1 module: merged into big.part0
    assert "big.part0" in labels
    assert "big.part12" in labels and "big.part76" not in labels  # 7 modules stay, 1 module goes
    assert diagram["red"], "the loop's links are always drawn"


def test_odd_package_names_get_safe_ids():
    section = {
        "packages": [
            {"name": 'we"ird', "modules": 1, "lines": 1},
            {"name": "end", "modules": 1, "lines": 1},
            {"name": "graph", "modules": 2, "lines": 1},
        ],
        "package_edges": [{"source": "end", "target": "graph", "kind": "runtime", "imports": 1}],
        "cycles": [],
    }
    text = package_diagram(section)
    diagram = parse_mermaid(text)
    assert {label for label, _ in diagram["nodes"].values()} == {"we#quot;ird", "end", "graph"}
    assert "end -->" not in text


def test_paragraph_variants():
    assert "no structure" in architecture_paragraph({"packages": []})
    assert architecture_paragraph(None).startswith("No Python code")
    one = {"packages": [{"name": "app", "modules": 3, "lines": 10}], "cycles": []}
    assert architecture_paragraph(one) == "The code is organised in one part."
    tangle = {
        "packages": [{"name": n, "modules": 1, "lines": 1} for n in "abcde"],
        "cycles": [
            {"level": "package", "kind": "import", "members": ["a", "b", "c"], "cycle": ["a", "b", "c", "a"]},
            {"level": "package", "kind": "import", "members": ["d", "e"], "cycle": ["d", "e", "d"]},
        ],
        "metrics": {"cycles": {"layer_violations": 2}},
    }
    text = architecture_paragraph(tangle)
    assert "3 of them (a, b and c) depend on each other in a loop" in text
    assert "For example, a imports b, b imports c and c imports a." in text
    assert "1 more group of parts is tied together the same way." in text
    assert "2 imports go against the intended layers" in text
