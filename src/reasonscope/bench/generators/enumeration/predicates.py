"""Periodic integer predicates rendered as small Python functions.

Every atom depends on x only through x mod some period (`%`, `&`, `>>`, `//` all keep that
property, negative x included, under Python's floor semantics), so a whole function is periodic
and its True-count over a long range follows from one period: the generator counts that way,
while executing the rendered source over the range is the independent check.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from math import lcm


@dataclass(frozen=True)
class Atom:
    kind: str  # mod_eq | mod_ne | mod_lt | mod_in | and_zero | bit | block | lin
    a: int
    b: int = 0
    extra: tuple[int, ...] = ()

    @property
    def period(self) -> int:
        if self.kind == "and_zero":
            return 1 << self.a.bit_length()
        if self.kind == "bit":
            return 1 << (self.a + 1)
        if self.kind == "block":
            return 2 * self.a
        if self.kind == "lin":
            return self.extra[0]
        return self.a

    def holds(self, x: int) -> bool:
        if self.kind == "mod_eq":
            return x % self.a == self.b
        if self.kind == "mod_ne":
            return x % self.a != self.b
        if self.kind == "mod_lt":
            return x % self.a < self.b
        if self.kind == "mod_in":
            return x % self.a in self.extra
        if self.kind == "and_zero":
            return x & self.a == 0
        if self.kind == "bit":
            return (x >> self.a) & 1 == 1
        if self.kind == "block":
            return (x // self.a) % 2 == self.b
        m, r = self.extra
        return (self.a * x + self.b) % m == r

    def code(self) -> str:
        if self.kind == "mod_eq":
            return f"x % {self.a} == {self.b}"
        if self.kind == "mod_ne":
            return f"x % {self.a} != {self.b}"
        if self.kind == "mod_lt":
            return f"x % {self.a} < {self.b}"
        if self.kind == "mod_in":
            return f"x % {self.a} in {self.extra}"
        if self.kind == "and_zero":
            return f"(x & {self.a}) == 0"
        if self.kind == "bit":
            return f"(x >> {self.a}) & 1 == 1"
        if self.kind == "block":
            return f"(x // {self.a}) % 2 == {self.b}"
        m, r = self.extra
        return f"({self.a} * x + {self.b}) % {m} == {r}"


def random_atom(rng: random.Random, kinds: tuple[str, ...], max_mod: int) -> Atom:
    kind = rng.choice(kinds)
    m = rng.randint(2, max_mod)
    if kind in ("mod_eq", "mod_ne"):
        return Atom(kind, m, rng.randrange(m))
    if kind == "mod_lt":
        return Atom(kind, m, rng.randint(1, m - 1))
    if kind == "mod_in":
        m = max(m, 3)
        return Atom(kind, m, 0, tuple(sorted(rng.sample(range(m), rng.randint(2, m - 1)))))
    if kind == "and_zero":
        return Atom(kind, rng.choice((3, 5, 6, 9, 10, 12)))
    if kind == "bit":
        return Atom(kind, rng.randint(1, 3))
    if kind == "block":
        return Atom(kind, rng.randint(2, 5), rng.randint(0, 1))
    m = max(m, 3)
    a = rng.choice([c for c in range(2, 10) if c % m])  # a multiple of m would be constant
    return Atom(kind, a, rng.randint(0, 9), (m, rng.randrange(m)))


# An expression tree: ("atom", Atom) | ("not", tree) | ("and"|"or", tree, tree)
Tree = tuple


def tree_holds(t: Tree, x: int) -> bool:
    if t[0] == "atom":
        return bool(t[1].holds(x))
    if t[0] == "not":
        return not tree_holds(t[1], x)
    if t[0] == "and":
        return tree_holds(t[1], x) and tree_holds(t[2], x)
    return tree_holds(t[1], x) or tree_holds(t[2], x)


def tree_code(t: Tree, top: bool = True) -> str:
    if t[0] == "atom":
        return str(t[1].code())
    if t[0] == "not":
        return f"not ({tree_code(t[1])})"
    inner = f"{tree_code(t[1], False)} {t[0]} {tree_code(t[2], False)}"
    return inner if top else f"({inner})"


def tree_atoms(t: Tree) -> list[Atom]:
    if t[0] == "atom":
        return [t[1]]
    return [a for child in t[1:] for a in tree_atoms(child)]


@dataclass(frozen=True)
class Program:
    """f(x) in one of three shapes: one boolean expression, a chain of early returns, a counter."""

    style: str  # expr | rules | counter | loop
    tree: Tree = ("atom", Atom("mod_eq", 2))
    rules: tuple[tuple[Atom, bool], ...] = ()
    default: Tree | bool = False
    atoms: tuple[Atom, ...] = ()
    test: tuple[str, int] = ("eq", 1)

    def all_atoms(self) -> list[Atom]:
        found = tree_atoms(self.tree) if self.style == "expr" else []
        found += [a for a, _ in self.rules] + list(self.atoms)
        if isinstance(self.default, tuple):
            found += tree_atoms(self.default)
        return found

    @property
    def period(self) -> int:
        return lcm(*(a.period for a in self.all_atoms()))

    def holds(self, x: int) -> bool:
        if self.style == "expr":
            return tree_holds(self.tree, x)
        if self.style == "rules":
            for atom, value in self.rules:
                if atom.holds(x):
                    return value
            return self.default if isinstance(self.default, bool) else tree_holds(self.default, x)
        hits = sum(1 for a in self.atoms if a.holds(x))
        op, k = self.test
        return hits == k if op == "eq" else hits >= k if op == "ge" else hits % 2 == k

    def code(self) -> str:
        lines = ["def f(x):"]
        if self.style == "expr":
            lines.append(f"    return {tree_code(self.tree)}")
        elif self.style == "rules":
            for atom, value in self.rules:
                lines += [f"    if {atom.code()}:", f"        return {value}"]
            default = (str(self.default) if isinstance(self.default, bool)
                       else tree_code(self.default))
            lines.append(f"    return {default}")
        else:
            lines.append("    hits = 0")
            if self.style == "loop":
                mods = tuple(a.a for a in self.atoms)
                lines += [f"    for m in {mods}:", f"        if x % m == {self.atoms[0].b}:",
                          "            hits += 1"]
            else:
                for atom in self.atoms:
                    lines += [f"    if {atom.code()}:", "        hits += 1"]
            op, k = self.test
            lines.append(f"    return hits {'==' if op == 'eq' else '>='} {k}" if op != "odd"
                         else f"    return hits % 2 == {k}")
        return "\n".join(lines)


def random_program(rng: random.Random, style: str, n_atoms: int, kinds: tuple[str, ...],
                   max_mod: int) -> Program:
    atoms = [random_atom(rng, kinds, max_mod) for _ in range(n_atoms)]
    if style == "expr":
        tree: Tree = ("atom", atoms[0])
        for atom in atoms[1:]:
            leaf: Tree = ("atom", atom)
            if rng.random() < 0.2:
                leaf = ("not", leaf)
            op = rng.choice(("and", "or"))
            tree = (op, tree, leaf) if rng.random() < 0.5 else (op, leaf, tree)
        return Program("expr", tree=tree)
    if style == "rules":
        default: Tree | bool = rng.choice((True, False)) if rng.random() < 0.5 else \
            ("atom", atoms[-1])
        body = atoms[:-1] if isinstance(default, tuple) else atoms
        return Program("rules", rules=tuple((a, rng.choice((True, False))) for a in body),
                       default=default)
    if style == "loop":
        r = rng.randint(0, 2)
        mods = sorted(rng.sample(range(r + 2, r + 2 + 2 * n_atoms + 2), n_atoms))
        atoms = [Atom("mod_eq", m, r) for m in mods]
    op = rng.choice(("eq", "ge", "odd"))
    k = rng.randint(0, 1) if op == "odd" else rng.randint(1, len(atoms) - 1) \
        if len(atoms) > 1 else 1
    return Program(style, atoms=tuple(atoms), test=(op, k))


def count_in_range(program: Program, start: int, stop: int) -> tuple[int, int, list[int], int]:
    """For range(start, stop): (count, period, residues where f holds, leftover count)."""
    period = program.period
    good = [r for r in range(period) if program.holds(r)]
    full = (stop - start) // period
    tail = sum(1 for x in range(start + full * period, stop) if program.holds(x % period))
    return full * len(good) + tail, period, good, tail
