"""Small regular expressions as trees: random generation, rendering to Python `re` syntax, and
exact counting of accepted strings through a Thompson automaton.

The count never runs `re`: it walks sets of automaton states built from the tree, so executing
`re.fullmatch` over every string stays an independent check of the same number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# A node is a tuple: ("lit", "a"), ("cls", "ab"), ("cat", (n, ...)), ("alt", (n, ...)),
# ("star", n), ("plus", n), ("opt", n), ("rep", n, lo, hi).
Node = tuple


def random_regex(rng: random.Random, alphabet: str, size: int) -> Node:
    """A random tree with about `size` leaves; quantifiers never wrap another quantifier."""
    if size <= 1:
        if len(alphabet) > 1 and rng.random() < 0.25:
            chars = "".join(sorted(rng.sample(alphabet, rng.randint(2, len(alphabet)))))
            return ("cls", chars)
        return ("lit", rng.choice(alphabet))
    op = rng.choices(("cat", "alt", "quant"), weights=(5, 2, 3))[0]
    if op == "quant":
        child = random_regex(rng, alphabet, size - 1)
        if child[0] in ("star", "plus", "opt", "rep"):
            return child
        kind = rng.choice(("star", "plus", "opt", "rep", "star"))
        if kind == "rep":
            lo = rng.randint(0, 2)
            return ("rep", child, lo, max(1, lo + rng.randint(0, 2)))
        return (kind, child)
    left = rng.randint(1, size - 1)
    a, b = random_regex(rng, alphabet, left), random_regex(rng, alphabet, size - left)
    parts: list[Node] = []
    for n in (a, b):
        parts.extend(n[1] if n[0] == op else (n,))
    return (op, tuple(parts))


def render(node: Node) -> str:
    kind = node[0]
    if kind == "lit":
        return str(node[1])
    if kind == "cls":
        return f"[{node[1]}]"
    if kind == "cat":
        return "".join(f"({render(c)})" if c[0] == "alt" else render(c) for c in node[1])
    if kind == "alt":
        return "|".join(render(c) for c in node[1])
    child = node[1]
    inner = render(child) if child[0] in ("lit", "cls") else f"({render(child)})"
    if kind == "rep":
        lo, hi = node[2], node[3]
        return inner + (f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}")
    return inner + {"star": "*", "plus": "+", "opt": "?"}[kind]


@dataclass
class Automaton:
    """Thompson NFA: epsilon edges and character edges per state."""

    eps: list[list[int]] = field(default_factory=list)
    edges: list[list[tuple[str, int]]] = field(default_factory=list)

    def new(self) -> int:
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def build(self, node: Node) -> tuple[int, int]:
        s, t = self.new(), self.new()
        kind = node[0]
        if kind in ("lit", "cls"):
            for ch in node[1]:
                self.edges[s].append((ch, t))
        elif kind == "cat":
            cur = s
            for child in node[1]:
                a, b = self.build(child)
                self.eps[cur].append(a)
                cur = b
            self.eps[cur].append(t)
        elif kind == "alt":
            for child in node[1]:
                a, b = self.build(child)
                self.eps[s].append(a)
                self.eps[b].append(t)
        elif kind == "rep":
            lo, hi = node[2], node[3]
            cur = s
            for i in range(hi):
                a, b = self.build(node[1])
                self.eps[cur].append(a)
                if i >= lo:
                    self.eps[cur].append(t)
                cur = b
            self.eps[cur].append(t)
        else:
            a, b = self.build(node[1])
            self.eps[s].append(a)
            self.eps[b].append(t)
            if kind in ("star", "opt"):
                self.eps[s].append(t)
            if kind in ("star", "plus"):
                self.eps[b].append(a)
        return s, t

    def closure(self, states: set[int]) -> frozenset[int]:
        stack, seen = list(states), set(states)
        while stack:
            for nxt in self.eps[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return frozenset(seen)

    def step(self, states: frozenset[int], ch: str) -> frozenset[int]:
        return self.closure({t for s in states for c, t in self.edges[s] if c == ch})


def count_by_length(alphabet: str, max_len: int, accept: Node,
                    reject: Node | None = None) -> list[int]:
    """Strings of each length 0..max_len matched by `accept` (and not by `reject`, if given)."""
    return walk_lengths(alphabet, max_len, accept, reject)[0]


def walk_lengths(alphabet: str, max_len: int, accept: Node,
                 reject: Node | None = None) -> tuple[list[int], int]:
    """Per-length accepted counts, and the number of (length, automaton state set) cases the
    walk visits: strings sharing a state set are counted together, never one by one."""
    machines = []
    for node in (accept, reject):
        if node is not None:
            m = Automaton()
            start, final = m.build(node)
            machines.append((m, m.closure({start}), final))
    layer: dict[tuple[frozenset[int], ...], int] = {tuple(st for _, st, _ in machines): 1}
    counts, visited = [], 0
    for length in range(max_len + 1):
        visited += len(layer)
        total = 0
        for key, ways in layer.items():
            ok = machines[0][2] in key[0]
            if len(machines) > 1:
                ok = ok and machines[1][2] not in key[1]
            total += ways if ok else 0
        counts.append(total)
        if length == max_len:
            break
        nxt: dict[tuple[frozenset[int], ...], int] = {}
        for key, ways in layer.items():
            for ch in alphabet:
                new = tuple(m.step(st, ch) for (m, _, _), st in zip(machines, key, strict=True))
                if new[0]:  # the accepting pattern is dead: nothing further can count
                    nxt[new] = nxt.get(new, 0) + ways
        layer = nxt
    return counts, visited
