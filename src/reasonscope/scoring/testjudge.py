"""Judging planned tests here, on the plain data the sandboxed child reported for each hole.

A small interpreter for the parent side of an assertion: constants, containers, operators,
comparisons and a few pure builtins and `math` functions, nothing else (no names but those,
no attributes, no calls into anything the program made). Operations that could exhaust this
process on hostile data (`'x' * 10**12`, `2 ** 10**9`) are bounded before they run.
"""

from __future__ import annotations

import ast
import builtins
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reasonscope.scoring.testplan import CallPlan

MAX_SEQUENCE = 10_000_000
MAX_INT_BITS = 1_000_000
HOLE_PREFIX = "__sandbox_hole_"

SAFE_FUNCS: dict[str, Callable[..., Any]] = {
    name: getattr(builtins, name) for name in (
        "abs", "len", "round", "min", "max", "sum", "sorted", "set", "frozenset", "tuple",
        "list", "dict", "str", "int", "float", "bool", "complex", "all", "any", "isinstance",
        "type", "repr", "divmod", "enumerate", "zip", "reversed", "bytes", "ord", "chr")
}
SAFE_MATH = {name: getattr(math, name) for name in (
    "isclose", "fabs", "isnan", "isinf", "isfinite", "floor", "ceil", "sqrt", "trunc", "fsum",
    "log", "log2", "log10", "exp", "gcd")}
SAFE_NAMES: dict[str, Any] = {name: getattr(builtins, name) for name in (
    "int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset", "complex",
    "bytes", "type")}
BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
    ast.Invert: operator.invert,
}
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


@dataclass(frozen=True)
class HoleResult:
    """What the child reported for one hole: a value, an exception, or a non-data object."""
    value: Any = None
    raised: str | None = None  # "TypeError: message"
    not_data: str | None = None  # the type name of a value that is not plain data


class HoleFailed(Exception):
    """A hole the assertion needs raised in the child, or returned something not plain data."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(why)
        self.name = name
        self.why = why


def _guard_binop(op: type[ast.operator], a: Any, b: Any) -> None:
    if op is ast.Mult:
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) \
                    and len(seq) * max(n, 0) > MAX_SEQUENCE:
                raise OverflowError("sequence too long")
    if op is ast.Pow and isinstance(a, int) and isinstance(b, int) and b > 0 \
            and a.bit_length() * b > MAX_INT_BITS:
        raise OverflowError("integer too large")
    if op is ast.LShift and isinstance(b, int) and b > MAX_INT_BITS:
        raise OverflowError("integer too large")


def evaluate(node: ast.expr, holes: dict[str, HoleResult]) -> Any:
    """Value of a planned assertion test, given the child's results for its holes."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in holes:
            result = holes[node.id]
            if result.raised is not None:
                raise HoleFailed(node.id, f"raised {result.raised}")
            if result.not_data is not None:
                raise HoleFailed(node.id, f"returned a {result.not_data}, which is not plain data")
            return result.value
        return SAFE_NAMES[node.id]
    if isinstance(node, ast.Tuple):
        return tuple(evaluate(e, holes) for e in node.elts)
    if isinstance(node, ast.List):
        return [evaluate(e, holes) for e in node.elts]
    if isinstance(node, ast.Set):
        return {evaluate(e, holes) for e in node.elts}
    if isinstance(node, ast.Dict):
        return {evaluate(k, holes): evaluate(v, holes)
                for k, v in zip(node.keys, node.values, strict=True) if k is not None}
    if isinstance(node, ast.UnaryOp):
        return UNARY[type(node.op)](evaluate(node.operand, holes))
    if isinstance(node, ast.BinOp):
        a, b = evaluate(node.left, holes), evaluate(node.right, holes)
        _guard_binop(type(node.op), a, b)
        return BINOPS[type(node.op)](a, b)
    if isinstance(node, ast.BoolOp):
        value: Any = None
        for v in node.values:
            value = evaluate(v, holes)
            if isinstance(node.op, ast.And) != bool(value):
                return value
        return value
    if isinstance(node, ast.Compare):
        left = evaluate(node.left, holes)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = evaluate(comp, holes)
            if not COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return evaluate(node.body if evaluate(node.test, holes) else node.orelse, holes)
    if isinstance(node, ast.Subscript):
        return evaluate(node.value, holes)[evaluate(node.slice, holes)]
    if isinstance(node, ast.Slice):
        return slice(*(None if p is None else evaluate(p, holes)
                       for p in (node.lower, node.upper, node.step)))
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name):
            func = SAFE_FUNCS[f.id]
        elif isinstance(f, ast.Attribute):
            func = SAFE_MATH[f.attr]
        else:
            raise TypeError("cannot evaluate this call")
        args = [evaluate(a, holes) for a in node.args]
        kwargs = {k.arg: evaluate(k.value, holes) for k in node.keywords if k.arg}
        return func(*args, **kwargs)
    raise TypeError(f"cannot evaluate {type(node).__name__}")


def judge(plan: CallPlan, results: Sequence[HoleResult]) -> tuple[bool, str]:
    """(passed, why not): each assertion in order, as Python would have run them."""
    if len(results) != len(plan.holes):
        return False, f"[sandbox] {len(results)} of {len(plan.holes)} calls reported"
    named = {f"{HOLE_PREFIX}{k}": r for k, r in enumerate(results)}
    for assertion in plan.assertions:
        try:
            ok = bool(evaluate(assertion.test, named))
        except HoleFailed as exc:
            hole = plan.holes[int(exc.name.removeprefix(HOLE_PREFIX))]
            return False, f"{assertion.source}\n  {hole.source} {exc.why}"
        except Exception as exc:  # what the original assert would have raised
            return False, f"{assertion.source}\n{type(exc).__name__}: {exc}"
        if not ok:
            shown = ", ".join(
                f"{plan.holes[k].source} = {_short(results[k].value)}" for k in assertion.holes)
            return False, f"AssertionError: {assertion.source}" + (f"\n  ({shown})" if shown
                                                                    else "")
    return True, ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
