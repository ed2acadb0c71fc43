"""The architecture section drawn and told for a founder: a mermaid
``flowchart`` of the packages and one plain paragraph.

The diagram stays readable on a large repository: when there are more than
``max_nodes`` packages, the smallest are merged into their parent package
(``saleor.graphql.order`` into ``saleor.graphql``), and top-level ones into
one "(other)" box, until the cap holds; packages caught in a loop are merged
last, so the loop stays visible; links between merged boxes are added
up, and only the ``max_links`` heaviest links are drawn (the links of the
shown loops always are). Boxes of packages caught in a loop are red, and so
are the links of each loop's shortest cycle (the example a reader can follow);
links that exist only through imports inside functions are dotted;
type-checking-only links are not drawn.
"""

from __future__ import annotations

from typing import Any

from ..wording import join_words

MAX_NODES = 25
MAX_LINKS = 40
OTHER = "(other)"
RED = "#c62828"


def _parent(name: str) -> str:
    if "." in name:
        return name.rsplit(".", 1)[0]
    return OTHER


def collapse(packages: list[dict[str, Any]], max_nodes: int = MAX_NODES) -> dict[str, str]:
    """package -> box it is drawn in."""
    box = {p["name"]: p["name"] for p in packages}
    size = {p["name"]: p.get("modules", 0) for p in packages}
    looped = {p["name"] for p in packages if p.get("in_cycle")}
    while len(set(box.values())) > max_nodes:
        weights: dict[str, int] = {}
        in_loop: set[str] = set()
        for name, target in box.items():
            weights[target] = weights.get(target, 0) + size.get(name, 0)
            if name in looped:
                in_loop.add(target)
        candidates = sorted((name in in_loop, w, name) for name, w in weights.items() if name != OTHER)
        if not candidates:
            break
        _, _, smallest = candidates[0]
        merged_into = _parent(smallest)
        for name, target in box.items():
            if target == smallest:
                box[name] = merged_into
    return box


def _quote(label: str) -> str:
    return label.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def package_diagram(section: dict[str, Any] | None, max_nodes: int = MAX_NODES, max_links: int = MAX_LINKS) -> str | None:
    """Mermaid source of the package diagram, or None when there is nothing to draw."""
    if not section or not section.get("packages"):
        return None
    packages = section["packages"]
    box = collapse(packages, max_nodes)
    modules: dict[str, int] = {}
    for p in packages:
        modules[box[p["name"]]] = modules.get(box[p["name"]], 0) + p.get("modules", 0)
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in section.get("package_edges", []):
        if edge.get("kind") == "type_checking":
            continue
        source, target = box.get(edge["source"]), box.get(edge["target"])
        if source is None or target is None or source == target:
            continue
        link = links.setdefault((source, target), {"imports": 0, "runtime": False, "cycle": False})
        link["imports"] += edge.get("imports", 1)
        link["runtime"] = link["runtime"] or edge.get("kind") == "runtime"
        link["cycle"] = link["cycle"] or bool(edge.get("cycle"))
    ordered = sorted(links.items(), key=lambda kv: (not kv[1]["cycle"], -kv[1]["imports"], kv[0]))
    keep = [kv for kv in ordered if kv[1]["cycle"]]
    keep += [kv for kv in ordered if not kv[1]["cycle"]][: max(0, max_links - len(keep))]
    left_out = len(links) - len(keep)
    keep.sort(key=lambda kv: kv[0])

    in_loop = {box[p["name"]] for p in packages if p.get("in_cycle")}
    names = sorted(modules, key=lambda n: (n == OTHER, n))
    ids = {name: f"p{i}" for i, name in enumerate(names)}
    lines = ["flowchart LR"]
    for name in names:
        count = modules[name]
        lines.append(f'    {ids[name]}["{_quote(name)}<br/>{count} module{"s" if count != 1 else ""}"]')
    red_links = []
    for index, ((source, target), link) in enumerate(keep):
        arrow = "-->" if link["runtime"] else "-.->"
        lines.append(f"    {ids[source]} {arrow} {ids[target]}")
        if link["cycle"]:
            red_links.append(str(index))
    if red_links:
        lines.append(f"    linkStyle {','.join(red_links)} stroke:{RED},stroke-width:3px")
    if in_loop:
        lines.append(f"    classDef loop stroke:{RED},stroke-width:3px,color:{RED}")
        lines.append(f"    class {','.join(ids[n] for n in sorted(in_loop))} loop")
    if left_out:
        lines.append(f"    %% {left_out} lighter links are not drawn")
    return "\n".join(lines)


def _example(cycle: list[str]) -> str:
    if len(cycle) == 3:
        return f"{cycle[0]} and {cycle[1]} import each other"
    steps = [f"{a} imports {b}" for a, b in zip(cycle, cycle[1:])]
    return ", ".join(steps[:-1]) + " and " + steps[-1]


def short_names(names: list[str]) -> dict[str, str]:
    """``saleor.graphql`` -> ``graphql`` where the last part is unique: dotted
    names read badly in a sentence."""
    last: dict[str, int] = {}
    for name in names:
        tail = name.rsplit(".", 1)[-1]
        last[tail] = last.get(tail, 0) + 1
    return {name: name.rsplit(".", 1)[-1] if last[name.rsplit(".", 1)[-1]] == 1 else name for name in names}


def architecture_paragraph(section: dict[str, Any] | None) -> str:
    """One plain paragraph: how many parts, which depend on each other."""
    if not section or not section.get("packages"):
        return "No Python code of the project's own was found, so there is no structure to describe."
    count = len(section["packages"])
    short = short_names([p["name"] for p in section["packages"]])
    largest = [short[p["name"]] for p in sorted(section["packages"], key=lambda p: (-p.get("lines", 0), p["name"]))[:3]]
    opening = "The code is organised in one part" if count == 1 else f"The code is organised in {count} parts"
    loops = [c for c in section.get("cycles", []) if c["level"] == "package" and c["kind"] == "import"]
    if not loops:
        sentences = [
            f"{opening}; none of them depend on each other in a loop, so each can be changed on its own terms."
            if count > 1
            else f"{opening}."
        ]
    else:
        first = loops[0]
        members = [short.get(m, m) for m in first["members"]]
        if len(members) == 2:
            sentences = [f"{opening}; {members[0]} and {members[1]} depend on each other, which makes changes to either risky."]
        else:
            sentences = [
                f"{opening}; {len(members)} of them ({join_words(members, 3)}) depend on each other in a loop, "
                "which makes changes to any of them risky.",
                f"For example, {_example([short.get(m, m) for m in first['cycle']])}.",
            ]
        if len(loops) > 1:
            more = len(loops) - 1
            sentences.append(f"{more} more group{'s' if more > 1 else ''} of parts {'are' if more > 1 else 'is'} tied together the same way.")
    if count > 1:
        sentences.append(f"The largest {'are' if len(largest) > 1 else 'is'} {join_words(largest, 3)}.")
    violations = section.get("metrics", {}).get("cycles", {}).get("layer_violations", 0)
    if violations:
        sentences.append(
            f"{violations} import{'s go' if violations > 1 else ' goes'} against the intended layers, "
            "so the layers are no longer independent."
        )
    return " ".join(sentences)
