"""Bug localisation: correct functions from a template bank, one line mutated so that the shown
tests fail.

Mutants come from the classic mutation operators (operator swap, flipped or loosened comparison,
off-by-one constant, index or range bound, `and`/`or`, a dropped `not`), located with `ast` and
applied to the text of that one line, so the change is exactly one displayed line. Ground truth is
execution: the original passes the shown tests by construction, and a mutant is used only when
running it makes one of them fail. Mutants may loop forever, so they run under a line-event
budget.
"""

from __future__ import annotations

import ast
import copy
import functools
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from string import Template as Fill
from types import FrameType
from typing import Any

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.code_types import Template
from reasonscope.bench.generators.diagnostic.common import is_clean
from reasonscope.taxonomy import AnswerType

STEP_BUDGET = 20_000
_LIST_NAMES = ("xs", "nums", "values", "data", "seq")

# difficulty -> (number of functions, allowed template sizes, tests per function, weight of
# subtle mutation kinds relative to obvious ones)
_LEVELS = {1: (1, (1,), 2, 0.3), 2: (1, (1, 2), 3, 0.6), 3: (1, (2, 3), 3, 1.0),
           4: (2, (1, 2, 3), 2, 2.0), 5: (3, (2, 3), 2, 3.0)}
_CONFUSED = ("TypeError", "ValueError", "NameError", "AttributeError")
"""Crashes that come from a type mix-up rather than a logic slip; such mutants are not used."""


class _OutOfSteps(BaseException):
    """Raised from the tracer; a BaseException so generated code cannot swallow it."""


def call_limited(fn: Callable[..., Any], args: Sequence[Any], budget: int = STEP_BUDGET
                 ) -> tuple[str, Any]:
    """Call fn under a step budget: ('ok', value), ('error', exception name) or ('timeout',
    None)."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        if count > budget:
            raise _OutOfSteps
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        return "ok", fn(*args)
    except _OutOfSteps:
        return "timeout", None
    except Exception as exc:
        return "error", type(exc).__name__
    finally:
        sys.settrace(old)


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<diagnostic>", "exec"), namespace)
    return namespace


# --- mutation operators -----------------------------------------------------------------------

_SWAP_BIN: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Add, ast.FloorDiv),
    ast.FloorDiv: (ast.Mod, ast.Mult), ast.Mod: (ast.FloorDiv,),
}
_BOUNDARY: dict[type, type] = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
_FLIP: dict[type, type] = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE,
                           ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn,
                           ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}

@dataclass(frozen=True)
class Site:
    """One mutation: replace columns [col, end_col) of a line with `text`."""

    line: int  # 1-based, within the function's source
    col: int
    end_col: int
    text: str
    kind: str
    subtle: bool


def _plus(node: ast.expr, k: int) -> ast.expr:
    return ast.BinOp(node, ast.Add() if k > 0 else ast.Sub(), ast.Constant(abs(k)))


def _with(node: ast.AST, **changes: Any) -> ast.AST:
    new = copy.copy(node)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def _replacements(node: ast.AST) -> list[tuple[str, bool, ast.AST]]:
    """(kind, subtle, replacement node) for each classic mutation of this node."""
    out: list[tuple[str, bool, ast.AST]] = []
    if isinstance(node, ast.BinOp | ast.AugAssign):
        out += [("operator", False, _with(node, op=o())) for o in _SWAP_BIN.get(type(node.op), ())]
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for table, kind, subtle in ((_BOUNDARY, "boundary", True),
                                        (_FLIP, "comparison", False)):
                if type(op) in table:
                    ops = list(node.ops)
                    ops[i] = table[type(op)]()
                    out.append((kind, subtle, _with(node, ops=ops)))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("logic", False, _with(node, op=other)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("negation", False, node.operand))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append(("constant", False, ast.Constant(not node.value)))
    elif isinstance(node, ast.Constant) and isinstance(node.value, int):
        out += [("off_by_one", True, ast.Constant(node.value + k)) for k in (1, -1)]
    elif isinstance(node, ast.Subscript) and not isinstance(
            node.slice, ast.Slice | ast.Constant | ast.UnaryOp):
        out += [("index", True, _with(node, slice=_plus(node.slice, k))) for k in (1, -1)]
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id == "range" and not isinstance(node.args[-1], ast.Constant)):
        out += [("range_bound", True, _with(node, args=[*node.args[:-1], _plus(node.args[-1], k)]))
                for k in (1, -1)]
    return out


_OPERATORS = (ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp)


def _trivial(new: ast.AST, parent: ast.AST | None) -> bool:
    """`n + 0` or `n % 1`: a constant that turns its operation into a visible no-op."""
    if not (isinstance(new, ast.Constant) and isinstance(parent, ast.BinOp | ast.AugAssign)):
        return False
    neutral = {ast.Add: 0, ast.Sub: 0, ast.Mult: 1, ast.FloorDiv: 1, ast.Mod: 1, ast.Div: 1}
    return new.value == neutral.get(type(parent.op))


def mutation_sites(source: str) -> list[Site]:
    """Every single-line mutation of a function's source (its docstring excluded)."""
    tree = ast.parse(source)
    lines = source.split("\n")
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    docstrings = {id(f.body[0].value) for f in ast.walk(tree)
                  if isinstance(f, ast.FunctionDef) and isinstance(f.body[0], ast.Expr)
                  and ast.get_docstring(f) is not None}
    sites: list[Site] = []
    for node in ast.walk(tree):
        if id(node) in docstrings or not isinstance(node, ast.expr | ast.stmt):
            continue
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            continue
        line = lines[node.lineno - 1]
        col, end = node.col_offset, node.end_col_offset
        parent = parents.get(id(node))
        for kind, subtle, new in _replacements(node):
            if _trivial(new, parent):
                continue
            text = ast.unparse(new)
            bracketed = col > 0 and line[col - 1] == "(" and line[end:end + 1] == ")"
            if (isinstance(new, _OPERATORS) and isinstance(parent, (*_OPERATORS, ast.Attribute))
                    and not bracketed):
                text = f"({text})"
            if text != line[col:end]:
                sites.append(Site(node.lineno, col, end, text, kind, subtle))
    return sites


def apply_site(source: str, site: Site) -> str:
    lines = source.split("\n")
    line = lines[site.line - 1]
    lines[site.line - 1] = line[:site.col] + site.text + line[site.end_col:]
    return "\n".join(lines)


def changed_lines(a: str, b: str) -> list[int]:
    la, lb = a.split("\n"), b.split("\n")
    if len(la) != len(lb):
        return [-1]
    return [i for i, (x, y) in enumerate(zip(la, lb, strict=True), start=1) if x != y]


# --- building an item -------------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def _compiled(code: str, name: str, xs: str) -> tuple[str, Callable[..., Any], tuple[Site, ...]]:
    """Normalised source, the function and its mutation sites (pure, so cached across items)."""
    source = ast.unparse(ast.parse(Fill(code.strip()).substitute(fn=name, xs=xs)))
    return source, load(source)[name], tuple(mutation_sites(source))


def _fresh(value: Any) -> Any:
    """A copy of a test argument (lists, tuples, scalars), so no call can alter the pool."""
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    return value


@dataclass
class _Func:
    name: str
    source: str
    sites: tuple[Site, ...]
    pool: list[tuple[tuple[Any, ...], Any]]  # distinct (args, expected) pairs


def _function(rng: random.Random, t: Template, difficulty: int, used: set[str]) -> _Func:
    choices = [i for i, n in enumerate(t.names) if n not in used]
    i = rng.choice(choices)
    name = t.names[i]
    source, fn, sites = _compiled(t.code, name, _LIST_NAMES[(i + len(t.code)) % len(_LIST_NAMES)])
    pool: list[tuple[tuple[Any, ...], Any]] = []
    seen: set[str] = set()
    for _ in range(8):
        args = t.inputs(rng, difficulty)
        if repr(args) not in seen:
            seen.add(repr(args))
            pool.append((args, fn(*_fresh(args))))
    return _Func(name, source, sites, pool)


def _call_text(name: str, args: tuple[Any, ...]) -> str:
    return f"{name}({', '.join(repr(a) for a in args)})"


@dataclass(frozen=True)
class _Mutant:
    site: Site
    func: int  # index of the mutated function
    source: str  # the mutated function
    line: int  # changed line within the function
    killer: int  # pool index of an input whose result it gets wrong
    outcome: tuple[str, Any]


def _find_mutant(rng: random.Random, funcs: list[_Func], subtle_weight: float) -> _Mutant | None:
    """A mutant that some pool input exposes. Kinds are drawn by weight (subtle ones favoured by
    `subtle_weight`), each kind's weight shared among its sites, so the many constants of a
    function do not crowd out the rarer kinds."""
    per_kind = Counter(s.kind for f in funcs for s in f.sites)
    keyed = [(rng.random() ** (per_kind[s.kind] / (subtle_weight if s.subtle else 1.0)), fi, si)
             for fi, f in enumerate(funcs) for si, s in enumerate(f.sites)]
    for _, fi, si in sorted(keyed, reverse=True):
        f, site = funcs[fi], funcs[fi].sites[si]
        mutant = apply_site(f.source, site)
        lines = changed_lines(f.source, mutant)
        try:
            mutant_fn = load(mutant)[f.name]
        except Exception:
            continue
        order = list(range(len(f.pool)))
        rng.shuffle(order)
        for k in order:
            args, expected = f.pool[k]
            outcome = call_limited(mutant_fn, _fresh(args))
            if outcome[0] == "error" and outcome[1] in _CONFUSED:
                break
            if outcome[0] != "ok" or outcome[1] != expected:
                return _Mutant(site, fi, mutant, lines[0], k, outcome)
    return None


def bug_hunt(rng: random.Random, difficulty: int, bank: Sequence[Template]) -> Draft:
    n_funcs, sizes, per_fn, subtle_weight = _LEVELS[difficulty]
    clean = is_clean(rng)
    while True:
        chosen = rng.sample([t for t in bank if t.size in sizes], n_funcs)
        used: set[str] = set()
        funcs = []
        for t in chosen:
            funcs.append(_function(rng, t, difficulty, used))
            used.add(funcs[-1].name)
        found = None if clean else _find_mutant(rng, funcs, subtle_weight)
        if clean or found is not None:
            break
    source = "\n\n".join(f.source for f in funcs)
    shown_parts = [f.source for f in funcs]
    tests: list[str] = []
    for fi, f in enumerate(funcs):
        picks = rng.sample(range(len(f.pool)), min(per_fn, len(f.pool)))
        if found is not None and found.func == fi and found.killer not in picks:
            picks[rng.randrange(len(picks))] = found.killer
        tests += [f"assert {_call_text(f.name, f.pool[k][0])} == {f.pool[k][1]!r}" for k in picks]
    answer, mutation = 0, None
    if found is not None:
        shown_parts[found.func] = found.source
        answer = sum(len(p.split("\n")) + 1 for p in shown_parts[:found.func]) + found.line
        f = funcs[found.func]
        args, expected = f.pool[found.killer]
        kind, value = found.outcome
        got = repr(value) if kind == "ok" else (
            f"a {value}" if kind == "error" else "no result (it never finishes)")
        orig_line = f.source.split("\n")[found.line - 1]
        bad_line = found.source.split("\n")[found.line - 1]
        steps = [f"{_call_text(f.name, args)} should be {expected!r}, but the code gives {got}, "
                 "so a test fails.",
                 f"The fault is line {answer}: `{bad_line.strip()}` breaks the docstring's "
                 f"contract; it should be `{orig_line.strip()}`.",
                 f"The answer is {answer}."]
        mutation = {"line": answer, "kind": found.site.kind, "original_line": orig_line,
                    "mutant_line": bad_line}
    else:
        steps = [f"This test passes: {t[len('assert '):]}." for t in tests]
        steps.append("The code passes all the tests, so the answer is 0.")
    shown = "\n\n".join(shown_parts)
    listing = "\n".join(f"{i:>2} {line}" for i, line in enumerate(shown.split("\n"), start=1))
    prompt = ("This code should pass the tests below; one line may have been changed.\n"
              f"{listing}\nTests:\n" + "\n".join(tests)
              + "\nWhich line is wrong? Answer with the line number, or 0 if the code passes "
                "all the tests.")
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.LINE,
                 steps=tuple(steps),
                 meta={"code": shown, "original_code": source, "test_code": "\n".join(tests),
                       "functions": [f.name for f in funcs], "mutation": mutation})
