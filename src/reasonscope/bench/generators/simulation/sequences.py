"""Coding simulation on a single data structure: a list or a string edited step after step.

Unlike the mixed programs, these are straight-line sequences of operations (with a few small
loops at the top levels) on one or two values, so the item isolates state tracking through
mutation: indices shift after `insert`/`pop`, slices and rotations reorder, `remove` takes the
first match. Each operation is chosen against the current state so that every step is valid.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation.coding import finish_program, runs
from reasonscope.taxonomy import Behavior, Domain

_Maker = Callable[[random.Random, dict[str, Any]], "P.Stmt | None"]


def _grow(rng: random.Random, init: list[P.Stmt], makers: list[_Maker], n_ops: int,
          budget: P.Budget) -> list[P.Stmt]:
    """Append operations one by one, keeping only those that run cleanly on the current state."""
    it = P.Interpreter(budget)
    it.run(tuple(init))
    ops: list[P.Stmt] = []
    tries = 0
    while len(ops) < n_ops and tries < 50 * n_ops:
        tries += 1
        stmt = rng.choice(makers)(rng, it.env)
        if stmt is None:
            continue
        trial = P.Interpreter(budget)
        trial.env = copy.deepcopy(it.env)
        try:
            trial.run((stmt,))
        except (P.BudgetExceeded, IndexError, ValueError):
            continue
        it.env = trial.env
        ops.append(stmt)
    return ops


# ---------------------------------------------------------------------------------------------
# Lists

_LIST_PAIRS = (("a", "b"), ("xs", "ys"), ("left", "right"), ("stack", "other"), ("p", "q"))
# (operations, two lists, loops allowed, largest value)
_LIST_LEVELS = {1: (1, False, False, 9), 2: (3, False, False, 9), 3: (6, False, False, 20),
                4: (10, True, True, 30), 5: (16, True, True, 60)}


def _call(name: str, method: str, *args: P.Expr) -> P.Stmt:
    return P.ExprStmt(P.Method(P.Name(name), method, args))


def _list_makers(names: tuple[str, ...], top: int, level: int, loops: bool) -> list[_Maker]:
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
        i = rng.randint(0, n - 3)
        j = rng.randint(i + 2, n - 1) if i == 0 or rng.random() < 0.7 else None
        return P.Assign(t, P.Slice(P.Name(t), i or None, j))

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

    makers: list[_Maker] = [append, insert, pop, setitem, reverse, remove]
    if level >= 3:
        makers += [sort, extend, delete, keep_slice, rotate, swap]
    if len(names) > 1:
        makers += [transfer, transfer]
    if loops:
        makers += [loop, loop]
    return makers


def build_list_program(rng: random.Random, difficulty: int) -> tuple[P.Stmt, ...]:
    n_ops, two, loops, top = _LIST_LEVELS[difficulty]
    names = rng.choice(_LIST_PAIRS)[: 2 if two else 1]
    size = min(3 + difficulty // 2, 5)
    init: list[P.Stmt] = [P.Assign(nm, P.ListLit(tuple(P.Num(rng.randint(0, top))
                                                      for _ in range(size))))
                          for nm in names]
    budget = P.Budget(steps=500, max_int=10**5, max_len=10 + difficulty)
    ops = _grow(rng, init, _list_makers(names, top, difficulty, loops), n_ops, budget)
    shown: P.Expr = P.Name(names[0])
    if two:
        shown = P.ListLit(tuple(P.Name(nm) for nm in names))
    return (*init, *ops, P.Print(shown))


@generator("simulation.coding.list_mutations", behavior=Behavior.SIMULATION,
           domain=Domain.CODING, version=1)
def list_mutations(rng: random.Random, difficulty: int) -> Draft:
    """Predict a list (or two) after a sequence of list operations.

    append/insert/pop/remove/slicing/rotation each shift positions, so the list must be carried
    exactly from one line to the next; top levels move items between two lists inside loops.
    """
    return finish_program(build_list_program(rng, difficulty), {"family": "lists"})


# ---------------------------------------------------------------------------------------------
# Strings

_STRING_LEVELS = {1: 1, 2: 3, 3: 5, 4: 7, 5: 10}
_WORDS = ("apple", "banana", "cherry", "planet", "garden", "window", "rocket", "silver",
          "orange", "pencil", "bottle", "forest", "marble", "canvas", "tunnel", "violet")
_VOWELS = "aeiou"


def _string_makers(level: int) -> list[_Maker]:
    s = P.Name("s")

    def assign(value: P.Expr) -> P.Stmt:
        return P.Assign("s", value)

    def reverse(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        return assign(P.Slice(s, step=-1))

    def rotate(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        n = len(env["s"])
        if n < 3:
            return None
        k = rng.randint(1, n - 1)
        return assign(P.BinOp("+", P.Slice(s, start=k), P.Slice(s, stop=k)))

    def replace(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        cur = env["s"]
        if not cur:
            return None
        old = rng.choice(cur)
        if level >= 3 and len(cur) > 2 and rng.random() < 0.4:
            i = rng.randrange(len(cur) - 1)
            old = cur[i:i + 2]
        new = "".join(rng.choice("xyzq") for _ in range(rng.randint(0, 2)))
        return assign(P.Method(s, "replace", (P.Text(old), P.Text(new))))

    def affix(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        extra = P.Text("".join(rng.choice("klmnrst") for _ in range(rng.randint(1, 2))))
        return assign(P.BinOp("+", s, extra) if rng.random() < 0.5 else P.BinOp("+", extra, s))

    def cut(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        n = len(env["s"])
        if n < 6:
            return None
        i = rng.randint(2, n - 2)
        if rng.random() < 0.5:
            return assign(P.Slice(s, start=i))
        return assign(P.Slice(s, stop=i))

    def stride(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        if len(env["s"]) < 7:
            return None
        return assign(P.Slice(s, start=rng.choice([None, 1]), step=2))

    def sort(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        return assign(P.Method(P.Text(""), "join", (P.Call("sorted", (s,)),)))

    def double(rng: random.Random, env: dict[str, Any]) -> P.Stmt | None:
        return assign(P.BinOp("*", s, P.Num(2))) if len(env["s"]) <= 6 else None

    def count(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        ch = P.Text(rng.choice([c for c in env["s"] if c.isalpha()] + ["a", "e"]))
        return assign(P.BinOp("+", s, P.Call("str", (P.Method(s, "count", (ch,)),))))

    def insert(rng: random.Random, env: dict[str, Any]) -> P.Stmt:
        i = rng.randint(1, max(1, len(env["s"]) - 1))
        mid = P.Text(rng.choice("xyz"))
        return assign(P.BinOp("+", P.BinOp("+", P.Slice(s, stop=i), mid), P.Slice(s, start=i)))

    makers: list[_Maker] = [reverse, replace, affix, cut]
    if level >= 2:
        makers += [rotate, insert]
    if level >= 3:  # order-destroying or shrinking edits stay rare (sorted once forgets a lot)
        makers = [*makers, *makers, stride, sort, double, count]
    return makers


def _string_loop(rng: random.Random) -> list[P.Stmt]:
    """t = '' ; for ch in s: (a per-character rule) ; s = t."""
    ch, t = P.Name("ch"), P.Name("t")
    shape = rng.randrange(3)
    body: tuple[P.Stmt, ...]
    if shape == 0:
        body = (P.If(P.Compare("in", ch, P.Text(_VOWELS)),
                     (P.Assign("t", P.BinOp("+", P.BinOp("+", t, ch), ch)),),
                     (P.Assign("t", P.BinOp("+", t, ch)),)),)
    elif shape == 1:
        body = (P.Assign("t", P.BinOp("+", ch, t)),)
    else:
        drop = rng.choice(_VOWELS + "nrst")
        body = (P.If(P.Compare("!=", ch, P.Text(drop)), (P.Assign("t", P.BinOp("+", t, ch)),)),)
    return [P.Assign("t", P.Text("")), P.For("ch", P.Name("s"), body), P.Assign("s", t)]


def build_string_program(rng: random.Random, difficulty: int) -> tuple[P.Stmt, ...]:
    n_ops = _STRING_LEVELS[difficulty]
    start = rng.choice(_WORDS)
    if difficulty >= 3:
        start += "".join(rng.choice("abcdeklmnorst") for _ in range(rng.randint(1, 3)))
    init: list[P.Stmt] = [P.Assign("s", P.Text(start))]
    budget = P.Budget(steps=500, max_int=10**5, max_len=14 + 2 * difficulty)
    makers = _string_makers(difficulty)
    while True:
        ops: list[P.Stmt] = []
        n_loops = max(0, difficulty - 3)
        slots = sorted(rng.sample(range(n_ops), n_loops))
        for k in range(n_ops):
            if k in slots:  # per-character loops need several statements, so not via _grow
                ops += _string_loop(rng)
            else:
                ops += _grow(rng, [*init, *ops], makers, 1, budget)
        program = (*init, *ops, P.Print(P.Name("s")))
        printed = runs(program, budget)
        if printed is not None and len(str(printed[0])) >= min(4, 2 + difficulty):
            return program


@generator("simulation.coding.string_pipeline", behavior=Behavior.SIMULATION,
           domain=Domain.CODING, version=1)
def string_pipeline(rng: random.Random, difficulty: int) -> Draft:
    """Predict a string after a chain of slicing, replacing, sorting and per-character loops.

    Each line rewrites `s` from its current value, so a single misplaced character propagates;
    lowercase letters only, so the answer's comparison (case-insensitive) loses nothing.
    """
    return finish_program(build_string_program(rng, difficulty), {"family": "strings"},
                          text_output=True)
