"""Coding simulation on lists: predict one or two lists after a sequence of list operations.

Unlike the mixed programs, these are straight-line sequences of operations (with a few small
loops at the top levels) on one or two lists, so the item isolates state tracking through
mutation: indices shift after `insert`/`pop`, slices and rotations reorder, `remove` takes the
first match. Each operation is chosen against the current state (`growth`), so every step is
valid, changes the lists, and never brings them back to an earlier state.
"""

from __future__ import annotations

import random
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation.codeitems import exercised_run, finish_program
from reasonscope.bench.generators.simulation.growth import Grower, Maker
from reasonscope.bench.generators.simulation.interpreter import Budget
from reasonscope.taxonomy import Behavior, Domain

_LIST_PAIRS = (("a", "b"), ("xs", "ys"), ("left", "right"), ("stack", "other"), ("p", "q"))
# (operations, two lists, loops allowed, largest value, fewest state changes)
_LIST_LEVELS = {1: (1, False, False, 9, 0), 2: (3, False, False, 9, 0),
                3: (7, False, False, 20, 0), 4: (12, True, True, 30, 18),
                5: (22, True, True, 60, 32)}
# Operations that forget the order or drop items stay rare: after them, earlier steps matter less.
_LIMITS = {"sort": 1, "keep_slice": 2}
_TOP_LIMITS = {"sort": 0, "keep_slice": 2}  # at level 5 nothing forgets the order built so far


def _call(name: str, method: str, *args: P.Expr) -> P.Stmt:
    return P.ExprStmt(P.Method(P.Name(name), method, args))


def _list_makers(names: tuple[str, ...], top: int, level: int, loops: bool) -> list[Maker]:
    def pick(rng: random.Random) -> str:
        return rng.choice(names)

    def append(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        return _call(pick(rng), "append", P.Num(rng.randint(0, top)))

    def insert(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        t = pick(rng)
        return _call(t, "insert", P.Num(rng.randint(0, len(env[t]))), P.Num(rng.randint(0, top)))

    def pop(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        if len(env[t]) < 2:
            return None
        if rng.random() < 0.4:
            return _call(t, "pop")
        return _call(t, "pop", P.Num(rng.randrange(-len(env[t]), len(env[t]))))

    def remove(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        return _call(t, "remove", P.Num(rng.choice(env[t]))) if len(env[t]) > 1 else None

    def setitem(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        t = pick(rng)
        i = rng.randrange(-len(env[t]), len(env[t]))
        value: P.Expr = P.Num(rng.randint(0, top))
        if level >= 3 and rng.random() < 0.5:
            j = rng.randrange(len(env[t]))
            value = P.BinOp(rng.choice(["+", "*"]), P.Subscript(P.Name(t), P.Num(j)),
                            P.Num(rng.randint(2, 5)))
        return P.SetItem(t, P.Num(i), value)

    def reverse(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        return _call(pick(rng), "reverse")

    def sort(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        return _call(pick(rng), "sort")

    def extend(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        vals = tuple(P.Num(rng.randint(0, top)) for _ in range(rng.randint(1, 3)))
        return _call(pick(rng), "extend", P.ListLit(vals))

    def delete(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        n = len(env[t])
        return P.DelItem(t, P.Num(rng.randrange(-n, n))) if n > 1 else None

    def keep_slice(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        n = len(env[t])
        if n < 4:
            return None
        i, cut = rng.choice([(0, 1), (0, 2), (1, 0), (1, 1), (2, 0)])  # drop 1-2 items only
        return P.Assign(t, P.Slice(P.Name(t), i or None, n - cut if cut else None))

    def rotate(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        n = len(env[t])
        if n < 3:
            return None
        k = rng.randint(1, n - 1)
        return P.Assign(t, P.BinOp("+", P.Slice(P.Name(t), start=k), P.Slice(P.Name(t), stop=k)))

    def swap(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        t = pick(rng)
        n = len(env[t])
        if n < 3:
            return None
        i, j = rng.sample(range(n), 2)
        return P.SwapItems(t, i, j)

    def transfer(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        src, dst = rng.sample(names, 2)
        n = len(env[src])
        if n < 2:
            return None
        args = () if rng.random() < 0.5 else (P.Num(rng.randrange(n)),)
        return _call(dst, "append", P.Method(P.Name(src), "pop", args))

    def loop(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        src, dst = rng.sample(names, 2)
        shape = rng.randrange(3)
        if shape == 0 and len(env[src]) > 3:
            body: tuple[P.Stmt, ...] = (_call(dst, "append", P.Method(P.Name(src), "pop", ())),)
            return P.For("k", P.Call("range", (P.Num(rng.randint(2, 3)),)), body)
        if shape == 1 and 0 < len(env[src]) <= 4:
            body = (_call(dst, "append", P.BinOp(rng.choice(["+", "*"]), P.Name("v"),
                                                 P.Num(rng.randint(2, 4)))),)
            return P.For("v", P.Name(src), body)
        if len(env[dst]) > 2:
            body = (_call(dst, "insert", P.Num(0), P.Method(P.Name(dst), "pop", ())),)
            return P.For("k", P.Call("range", (P.Num(rng.randint(2, 3)),)), body)
        return None

    makers: list[Maker] = [append, insert, pop, setitem, reverse, remove]
    if level >= 3:
        makers += [sort, extend, delete, keep_slice, rotate, swap]
    if len(names) > 1:
        makers += [transfer, transfer]
    if loops:
        makers += [loop, loop]
    return makers


def build_list_program(rng: random.Random, difficulty: int) -> tuple[P.Stmt, ...]:
    n_ops, two, loops, top, min_changes = _LIST_LEVELS[difficulty]
    names = rng.choice(_LIST_PAIRS)[: 2 if two else 1]
    size = min(3 + difficulty // 2, 5)
    init: list[P.Stmt] = [P.Assign(nm, P.ListLit(tuple(P.Num(rng.randint(0, top))
                                                      for _ in range(size))))
                          for nm in names]
    budget = Budget(steps=500, max_int=10**5, max_len=10 + difficulty)
    shown: P.Expr = P.Name(names[0])
    if two:
        shown = P.ListLit(tuple(P.Name(nm) for nm in names))
    while True:
        grower = Grower(init, names, budget, _TOP_LIMITS if difficulty == 5 else _LIMITS)
        grower.grow(rng, _list_makers(names, top, difficulty, loops), n_ops, min_changes)
        program = (*init, *grower.ops, P.Print(shown))
        if exercised_run(program, budget, (max(min_changes, 1), 10**6)) is not None:
            return program


@generator("simulation.coding.list_mutations", behavior=Behavior.SIMULATION,
           domain=Domain.CODING, version=2,
           why="every line edits a list whose positions the earlier lines shifted, and no edit "
               "is undone later, so the lists must be carried line by line; the operations are "
               "everyday list methods and small loops, so Python trivia stays out")
def list_mutations(rng: random.Random, difficulty: int) -> Draft:
    """Predict a list (or two) after a sequence of list operations.

    append/insert/pop/remove/slicing/rotation each shift positions, so the list must be carried
    exactly from one line to the next; top levels move items between two lists inside loops.
    """
    return finish_program(build_list_program(rng, difficulty), {"family": "lists"})
