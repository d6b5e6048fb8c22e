"""Coding simulation on a string: predict `s` after a chain of slicing, replacing, sorting and
per-character loops.

Each line rewrites `s` from its current value, so a single misplaced character propagates. Each
operation is chosen against the current value (`growth`), so every step changes `s` and never
brings it back to an earlier value; the per-character loops at the top levels carry state of
their own (what was kept so far), so they are followed character by character.
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

# (operations, per-character loops among them, fewest state changes)
_STRING_LEVELS = {1: (1, 0, 0), 2: (3, 0, 0), 3: (5, 0, 0), 4: (7, 1, 14), 5: (10, 2, 32)}
_LIMITS = {"sort": 1, "double": 1}  # sorting forgets the order that earlier steps built
_TOP_LIMITS = {"sort": 0, "double": 1}
_WORDS = ("apple", "banana", "cherry", "planet", "garden", "window", "rocket", "silver",
          "orange", "pencil", "bottle", "forest", "marble", "canvas", "tunnel", "violet")
_VOWELS = "aeiou"


def _string_makers(level: int) -> list[Maker]:
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
        k = rng.randint(1, 3)  # drop a few characters: what was built before still counts
        if rng.random() < 0.5:
            return assign(P.Slice(s, start=k))
        return assign(P.Slice(s, stop=n - k))

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

    makers: list[Maker] = [reverse, replace, affix, cut]
    if level >= 2:
        makers += [rotate, insert]
    if level >= 3:  # order-destroying or shrinking edits stay rare (sorted once forgets a lot)
        makers = [*makers, *makers, stride, sort, double, count]
    return makers


def _string_loop(rng: random.Random, difficulty: int) -> list[P.Stmt]:
    """t = '' ; for ch in s: (a per-character rule) ; s = t.

    At the top level the rule depends on what `t` holds so far (toggle a character in or out;
    put it in front when it sorts before the last one), so the loop has no one-line summary."""
    ch, t = P.Name("ch"), P.Name("t")
    shape = rng.randrange(2) if difficulty >= 5 else rng.randrange(4)
    body: tuple[P.Stmt, ...]
    append = P.Assign("t", P.BinOp("+", t, ch))
    if shape == 0:
        body = (P.If(P.Compare("in", ch, t), (P.Assign("t", P.Method(t, "replace",
                                                                      (ch, P.Text("")))),),
                     (append,)),)
    elif shape == 1:
        body = (P.If(P.Compare("<", ch, P.Slice(t, start=-1)),
                     (P.Assign("t", P.BinOp("+", ch, t)),), (append,)),)
    elif shape == 2:
        body = (P.If(P.Compare("in", ch, P.Text(_VOWELS)),
                     (P.Assign("t", P.BinOp("+", P.BinOp("+", t, ch), ch)),), (append,)),)
    else:
        drop = rng.choice(_VOWELS + "nrst")
        body = (P.If(P.Compare("!=", ch, P.Text(drop)), (append,)),)
    return [P.Assign("t", P.Text("")), P.For("ch", P.Name("s"), body), P.Assign("s", t)]


def build_string_program(rng: random.Random, difficulty: int) -> tuple[P.Stmt, ...]:
    n_ops, n_loops, min_changes = _STRING_LEVELS[difficulty]
    start = rng.choice(_WORDS)
    if difficulty >= 3:
        start += "".join(rng.choice("abcdeklmnorst") for _ in range(rng.randint(1, 3)))
    init: list[P.Stmt] = [P.Assign("s", P.Text(start))]
    budget = Budget(steps=500, max_int=10**5, max_len=14 + 2 * difficulty)
    makers = _string_makers(difficulty)
    while True:
        grower = Grower(init, ("s",), budget, _TOP_LIMITS if difficulty == 5 else _LIMITS)
        slots = set(rng.sample(range(n_ops), n_loops))
        for k in range(n_ops):
            if k not in slots:
                grower.grow(rng, makers, 1)
                continue
            for _ in range(30):  # a loop needs several statements, all of which must run
                if grower.try_add(_string_loop(rng, difficulty), "loop"):
                    break
        grower.grow(rng, makers, 0, min_changes)
        program = (*init, *grower.ops, P.Print(P.Name("s")))
        if (grower.used["loop"] == n_loops and len(grower.env["s"]) >= min(4, 2 + difficulty)
                and exercised_run(program, budget, (max(min_changes, 1), 10**6)) is not None):
            return program


@generator("simulation.coding.string_pipeline", behavior=Behavior.SIMULATION,
           domain=Domain.CODING, version=2,
           why="every line rewrites the string from its current value and no edit is undone "
               "later, so it must be carried line by line (and character by character in the "
               "loops); only slicing, replace, join and + are used, so Python trivia stays out")
def string_pipeline(rng: random.Random, difficulty: int) -> Draft:
    """Predict a string after a chain of slicing, replacing, sorting and per-character loops.

    Each line rewrites `s` from its current value, so a single misplaced character propagates;
    lowercase letters and digits only, so the answer's comparison (case-insensitive) loses
    nothing.
    """
    return finish_program(build_string_program(rng, difficulty), {"family": "strings"})
