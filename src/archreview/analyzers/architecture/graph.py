"""Graph algorithms on ``{node: set(successors)}``, iterative (a large
repository's import chains are deeper than Python's recursion limit) and
deterministic (nodes and successors are visited in sorted order)."""

from __future__ import annotations

from collections import deque

Graph = dict[str, set[str]]


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one node (or a
    node that imports itself), each sorted; the list sorted by size then name."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})
    successors = {n: sorted(graph.get(n, ())) for n in nodes}
    for start in nodes:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            children = successors[node]
            for i in range(position, len(children)):
                child = children[i]
                if child not in index:
                    work.append((node, i + 1))
                    work.append((child, 0))
                    recurse = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    components.sort(key=lambda c: (-len(c), c[0]))
    return components


def _bfs_path(graph: Graph, start: str, goal: str, allowed: set[str], limit: int | None = None) -> list[str] | None:
    """Shortest path start -> goal inside ``allowed`` (both ends included)."""
    if start == goal:
        return [start]
    previous: dict[str, str] = {start: start}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if limit is not None and depth >= limit:
            break
        for child in sorted(graph.get(node, ())):
            if child not in allowed or child in previous:
                continue
            previous[child] = node
            if child == goal:
                path = [goal]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return path[::-1]
            queue.append((child, depth + 1))
    return None


def _cycle_through(graph: Graph, start: str, members: set[str], limit: int | None) -> list[str] | None:
    """Shortest cycle through ``start``: breadth-first from it, the first node
    reached that imports ``start`` closes the cycle."""
    previous: dict[str, str] = {start: start}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if limit is not None and depth >= limit:
            return None
        if node != start and start in graph.get(node, ()):
            path = [node]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return path[::-1] + [start]
        for child in sorted(graph.get(node, ())):
            if child in members and child not in previous:
                previous[child] = node
                queue.append((child, depth + 1))
    return None


def shortest_cycle(
    graph: Graph, component: list[str], max_starts: int = 200, weight: dict[tuple[str, str], int] | None = None
) -> list[str]:
    """One shortest cycle inside a strongly connected component, as
    ``[a, b, ..., a]``. Exact for components up to ``max_starts`` nodes; for
    larger ones the shortest cycle through the ``max_starts`` best-connected
    members. Among pairs importing each other, the pair with the most imports
    (``weight`` per edge) is chosen: the strongest tie is the best example."""
    members = set(component)
    if len(component) == 1:
        return [component[0], component[0]]
    weight = weight or {}
    pairs = [
        (-(weight.get((node, child), 1) + weight.get((child, node), 1)), node, child)
        for node in component
        for child in graph.get(node, ())
        if child in members and node < child and node in graph.get(child, ())
    ]
    if pairs:  # a pair importing each other is as short as it gets
        _, node, child = min(pairs)
        return [node, child, node]
    degree = {n: sum(1 for c in graph.get(n, ()) if c in members) for n in component}
    starts = sorted(component, key=lambda n: (-degree[n], n))[:max_starts]
    best: list[str] | None = None
    for start in sorted(starts):
        found = _cycle_through(graph, start, members, len(best) - 1 if best else None)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
            if len(best) == 4:  # three nodes: nothing shorter is left (pairs were ruled out)
                break
    if best is None:  # cannot happen in a real component; keep the output well-formed
        return [component[0], component[0]]
    return rotate(best)


def shortest_cycle_through(graph: Graph, component: list[str], edge: tuple[str, str]) -> list[str] | None:
    """Shortest cycle that uses ``edge`` (u -> v), inside the component."""
    source, target = edge
    back = _bfs_path(graph, target, source, set(component))
    if back is None:
        return None
    return [source] + back


def rotate(cycle: list[str]) -> list[str]:
    """Start a cycle ``[a, b, c, a]`` at its smallest node, for stable output."""
    ring = cycle[:-1]
    start = ring.index(min(ring))
    ring = ring[start:] + ring[:start]
    return ring + [ring[0]]
