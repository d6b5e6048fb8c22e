"""Simulation in the coding domain: predict what a generated Python program prints.

Programs are built as plans (`program`), rendered to source and executed at generation
time; the printed value is the answer (`codeitems`). Every construct is plain Python (integer
arithmetic, list and dict updates, string slicing, loops, conditionals, small functions), so the
skill measured is tracing state through the code, not knowing obscure semantics. Size, nesting
and the number of state changes grow with difficulty; a program is kept only if every line
shown runs and has an effect, every repeated `if` goes both ways, little of the run repeats
itself, and the print shows every variable the program updated, so no part can be skipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation.codeitems import exercised_run, finish_program
from reasonscope.bench.generators.simulation.interpreter import Budget
from reasonscope.taxonomy import Behavior, Domain

_INT_NAMES = ("a", "b", "c", "n", "x", "y", "total", "count", "acc", "m")
_LIST_NAMES = ("nums", "vals", "data", "xs")
_DICT_NAMES = ("counts", "tally", "seen")
_STR_NAMES = ("s", "word", "text")
_LOOP_VARS = ("i", "j", "k")
_KEYS = ("a", "b", "c", "d")
_WORDS = ("apple", "banana", "cherry", "delta", "echo", "garden", "honey", "kite", "lemon",
          "mango", "oasis", "pebble", "quill", "river", "sugar", "tiger", "violet", "walnut")


# ---------------------------------------------------------------------------------------------
# Mixed programs


@dataclass(frozen=True)
class _Level:
    n_top: int
    max_depth: int
    body: tuple[int, int]
    features: frozenset[str]
    max_stmts: int  # statements after the initialisations
    min_lines: int
    work: tuple[int, int]  # state changes the run must make (inclusive), initial values included
    budget: Budget


_LEVELS = {
    1: _Level(1, 0, (1, 1), frozenset(), 1, 3, (3, 3), Budget(50, 100, 10)),
    2: _Level(2, 1, (1, 1), frozenset({"for"}), 4, 4, (4, 9), Budget(200, 1_000, 10)),
    3: _Level(3, 2, (1, 2), frozenset({"for", "if", "list"}), 8, 8, (10, 19),
              Budget(400, 10_000, 15)),
    4: _Level(4, 2, (1, 2), frozenset({"for", "if", "list", "dict", "while", "func"}), 10, 12,
              (20, 31), Budget(1_000, 20_000, 20)),
    5: _Level(5, 2, (1, 2), frozenset({"for", "if", "list", "dict", "while", "func", "str",
                                       "for_list"}), 16, 20, (32, 60), Budget(2_000, 20_000, 20)),
}


@dataclass
class _Scope:
    ints: list[str] = field(default_factory=list)
    readable: list[str] = field(default_factory=list)
    lists: dict[str, int] = field(default_factory=dict)  # name -> guaranteed minimum length
    frozen: list[str] = field(default_factory=list)
    dicts: list[str] = field(default_factory=list)
    strs: list[str] = field(default_factory=list)
    funcs: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)  # updated after their first value
    n_stmts: int = 0
    loop_depth: int = 0  # an `else` branch only makes sense where the `if` runs repeatedly
    func_called: bool = False


def _atom(rng: random.Random, sc: _Scope) -> P.Expr:
    options: list[P.Expr] = [P.Num(rng.randint(1, 9))]
    options += [P.Name(v) for v in sc.ints + sc.readable]
    for lst, n in sc.lists.items():
        options += [P.Subscript(P.Name(lst), P.Num(rng.randrange(-1, n))), P.Call("len",
                    (P.Name(lst),))]
    for d in sc.dicts:
        options.append(P.Method(P.Name(d), "get", (P.Text(rng.choice(_KEYS)), P.Num(0))))
    return rng.choice(options)


def _int_expr(rng: random.Random, sc: _Scope) -> P.Expr:
    roll = rng.random()
    varying = [v for v in sc.readable if v not in sc.ints]  # loop variables and counters
    if sc.funcs and varying and (not sc.func_called or roll < 0.15):
        sc.func_called = True  # called inside a loop on a changing value: every branch of f runs
        return P.Call(sc.funcs[0], (P.Name(rng.choice(varying)),))
    if roll < 0.45:
        return _atom(rng, sc)
    op = rng.choice(["+", "+", "-", "*", "//", "%"])
    right = P.Num(rng.randint(2, 7)) if op in ("//", "%", "*") else _atom(rng, sc)
    left = _atom(rng, sc)
    if isinstance(left, P.Num) and isinstance(right, P.Num):  # no constant-only arithmetic
        left = P.Name(rng.choice(sc.ints + sc.readable))
    return P.BinOp(op, left, right)


def _cond(rng: random.Random, sc: _Scope) -> P.Compare:
    var = P.Name(rng.choice(sc.ints + sc.readable))
    if rng.random() < 0.4:
        return P.Compare("==", P.BinOp("%", var, P.Num(rng.choice([2, 3]))), P.Num(0))
    return P.Compare(rng.choice(["<", ">", "<=", ">=", "!="]), var,
                     P.Num(rng.randint(1, 12)) if rng.random() < 0.6 else _atom(rng, sc))


def _simple(rng: random.Random, sc: _Scope, depth: int) -> P.Stmt:
    """One non-compound statement."""
    kinds = ["aug", "aug", "assign"]
    free_lists = [name for name in sc.lists if name not in sc.frozen]
    kinds += ["append", "setitem"] * bool(free_lists)
    kinds += ["dict", "dict"] * bool(sc.dicts)
    kinds += ["str"] * bool(sc.strs)
    kind = rng.choice(kinds)
    if kind == "append":
        lst = rng.choice(free_lists)
        if depth == 0:
            sc.lists[lst] += 1
        sc.written.add(lst)
        return P.ExprStmt(P.Method(P.Name(lst), "append", (_int_expr(rng, sc),)))
    if kind == "setitem":
        lst = rng.choice(free_lists)
        sc.written.add(lst)
        return P.SetItem(lst, P.Num(rng.randrange(-1, sc.lists[lst])), _int_expr(rng, sc))
    if kind == "dict":
        d = rng.choice(sc.dicts)
        loop_ints = [v for v in sc.readable if v in _LOOP_VARS]
        key: P.Expr = P.Text(rng.choice(_KEYS))
        if loop_ints and rng.random() < 0.3:
            key = P.BinOp("%", P.Name(rng.choice(loop_ints)), P.Num(3))
        sc.written.add(d)
        return P.SetItem(d, key, P.BinOp("+", P.Method(P.Name(d), "get", (key, P.Num(0))),
                                         _int_expr(rng, sc)))
    if kind == "str":
        s = rng.choice(sc.strs)
        sc.written.add(s)
        name = P.Name(s)
        edits: list[P.Expr] = [
            P.BinOp("+", name, P.Text(rng.choice(_KEYS))),
            P.BinOp("+", P.Slice(name, start=1), P.Slice(name, stop=1)),
            P.Slice(name, step=-1),
            P.Method(name, "replace", (P.Text(rng.choice("aeiou")), P.Text(rng.choice(_KEYS)))),
        ]
        return P.Assign(s, rng.choice(edits))
    target = rng.choice(sc.ints)
    sc.written.add(target)
    if kind == "assign":
        return P.Assign(target, _int_expr(rng, sc))
    op = rng.choice(["+", "+", "-", "*", "//", "%"])
    value = P.Num(rng.randint(2, 5)) if op in ("*", "//", "%") else _int_expr(rng, sc)
    return P.AugAssign(target, op, value)


def _block(rng: random.Random, sc: _Scope, lv: _Level, depth: int) -> tuple[P.Stmt, ...]:
    out: list[P.Stmt] = []
    for k in range(rng.randint(*lv.body)):
        if k and sc.n_stmts >= lv.max_stmts:
            break
        out += _statement(rng, sc, lv, depth)
    return tuple(out)


def _statement(rng: random.Random, sc: _Scope, lv: _Level, depth: int) -> list[P.Stmt]:
    kinds = ["simple"]
    sc.n_stmts += 1
    if depth < lv.max_depth and sc.n_stmts + 2 <= lv.max_stmts:
        kinds += [k for k in ("for", "if", "while", "for_list") if k in lv.features]
        if depth == 0 and "for" in lv.features:
            kinds += ["for"]  # make sure loops dominate the top level
    kind = rng.choice(kinds)
    if kind == "simple":
        return [_simple(rng, sc, depth)]
    if kind == "if":
        cond = _cond(rng, sc)
        body = _block(rng, sc, lv, depth + 1)
        orelse = _block(rng, sc, lv, depth + 1) if sc.loop_depth and rng.random() < 0.5 else ()
        return [P.If(cond, body, orelse)]
    sc.loop_depth += 1
    try:
        return _loop(rng, sc, lv, depth, kind)
    finally:
        sc.loop_depth -= 1


def _loop(rng: random.Random, sc: _Scope, lv: _Level, depth: int, kind: str) -> list[P.Stmt]:
    if kind == "for_list" and sc.lists:
        lst = rng.choice(sorted(sc.lists))
        var = next(nm for nm in ("v", "w", "u") if nm not in sc.readable)
        sc.readable.append(var)
        sc.frozen.append(lst)
        body = _block(rng, sc, lv, depth + 1)
        sc.frozen.pop()
        sc.readable.remove(var)
        return [P.For(var, P.Name(lst), body)]
    if kind == "while":
        counter = f"r{depth}"
        start = rng.randint(3, 12 if depth == 0 else 6)
        dec: P.Stmt = (P.AugAssign(counter, "-", P.Num(rng.randint(1, 3))) if rng.random() < 0.6
                       else P.AugAssign(counter, "//", P.Num(2)))
        sc.readable.append(counter)
        body = _block(rng, sc, lv, depth + 1)
        sc.readable.remove(counter)
        return [P.Assign(counter, P.Num(start)),
                P.While(P.Compare(">", P.Name(counter), P.Num(0)), (*body, dec))]
    var = _LOOP_VARS[depth]
    lo = rng.randint(0, 3)
    args: tuple[P.Expr, ...] = (P.Num(lo), P.Num(lo + rng.randint(2, 5 - depth)))  # nested: short
    if lo == 0 and rng.random() < 0.5:
        args = args[1:]
    sc.readable.append(var)
    body = _block(rng, sc, lv, depth + 1)
    sc.readable.remove(var)
    return [P.For(var, P.Call("range", args), body)]


def _function(rng: random.Random) -> P.FuncDef:
    v = P.Name("v")
    shape = rng.randrange(3)
    body: tuple[P.Stmt, ...]
    if shape == 0:
        body = (P.Return(P.BinOp("+", P.BinOp("*", v, P.Num(rng.randint(2, 4))),
                                 P.Num(rng.randint(1, 9)))),)
    elif shape == 1:
        body = (P.If(P.Compare("==", P.BinOp("%", v, P.Num(2)), P.Num(0)),
                     (P.Return(P.BinOp("//", v, P.Num(2))),)),
                P.Return(P.BinOp("+", v, P.Num(rng.randint(1, 9)))))
    else:
        body = (P.Return(P.BinOp("%", P.BinOp("*", v, v), P.Num(rng.randint(7, 13)))),)
    return P.FuncDef("f", ("v",), body)


def _shown_state(sc: _Scope) -> P.Expr:
    """Everything the program wrote: no update is left out of the answer."""
    written = [nm for nm in (*sc.ints, *sc.lists, *sc.dicts, *sc.strs) if nm in sc.written]
    return P.Name(written[0]) if len(written) == 1 else P.ListLit(tuple(map(P.Name, written)))


def build_mixed(rng: random.Random, difficulty: int) -> tuple[P.Stmt, ...]:
    """A random program of the level's size whose run stays within the level's budget and work,
    and in which every statement shown runs (each repeated `if` both ways)."""
    lv = _LEVELS[difficulty]
    while True:
        sc = _Scope()
        prog: list[P.Stmt] = []
        if "func" in lv.features and rng.random() < 0.6:
            prog.append(_function(rng))
            sc.funcs.append("f")
        names = rng.sample(_INT_NAMES, 2 if difficulty == 1 else 3)
        for nm in names:
            prog.append(P.Assign(nm, P.Num(rng.randint(0, 9))))
            sc.ints.append(nm)
        if "list" in lv.features:
            lst = rng.choice(_LIST_NAMES)
            n = rng.randint(3, 5)
            prog.append(P.Assign(lst, P.ListLit(tuple(P.Num(rng.randint(0, 9))
                                                      for _ in range(n)))))
            sc.lists[lst] = n
        if "dict" in lv.features:
            d = rng.choice(_DICT_NAMES)
            prog.append(P.Assign(d, P.DictLit(())))
            sc.dicts.append(d)
        if "str" in lv.features:
            s = rng.choice(_STR_NAMES)
            prog.append(P.Assign(s, P.Text(rng.choice(_WORDS))))
            sc.strs.append(s)
        for _ in range(lv.n_top):
            if sc.n_stmts < lv.max_stmts:
                prog += _statement(rng, sc, lv, 0)
        if not sc.written:
            continue
        prog.append(P.Print(_shown_state(sc)))
        program = tuple(prog)
        if len(P.render(program).splitlines()) < lv.min_lines:
            continue
        if exercised_run(program, lv.budget, lv.work) is not None:
            return program


@generator("simulation.coding.program_output", behavior=Behavior.SIMULATION,
           domain=Domain.CODING, version=2,
           why="the answer is the state a generated program leaves after every line ran (each "
               "block shown executes); all constructs are everyday Python, so tracing state "
               "is the skill and language trivia stays out")
def program_output(rng: random.Random, difficulty: int) -> Draft:
    """Predict the output of a generated program with loops, conditionals, lists and dicts.

    The program is a random composition of everyday statements; the answer is what executing it
    prints: every variable it wrote. Larger levels add nesting, while loops, a helper function
    and more state.
    """
    return finish_program(build_mixed(rng, difficulty), {"family": "mixed"})
