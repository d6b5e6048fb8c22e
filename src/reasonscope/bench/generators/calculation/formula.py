"""Evaluating a stated formula while counting the arithmetic operations it takes.

Science and everyday calculation items state their formulas; the generator evaluates the same
formulas (written in Python syntax) through this evaluator, so the work count of an item is the
number of operations its own solution performs: every binary operator and every function call
counts one. Rational inputs stay exact Fractions through + - * / and integer powers; square
roots and trigonometric functions switch to floats.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Num = Fraction | float

_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "radians": math.radians,
}


def _num(x: int | float | Fraction) -> Num:
    return Fraction(x) if isinstance(x, int) else x


def _binary(op: ast.operator, a: Num, b: Num) -> Num:
    if isinstance(op, ast.Add):
        return a + b
    if isinstance(op, ast.Sub):
        return a - b
    if isinstance(op, ast.Mult):
        return a * b
    if isinstance(op, ast.Div):
        if b == 0:
            raise ZeroDivisionError("division by zero in a formula")
        return a / b
    if isinstance(op, ast.Pow):
        if isinstance(b, Fraction) and b.denominator == 1 and isinstance(a, Fraction):
            return a ** int(b)
        return float(a) ** float(b)
    raise ValueError(f"operator {type(op).__name__} is not supported")


@dataclass
class Tally:
    """Running count of operations over several formulas of one solution."""

    ops: int = 0
    values: dict[str, Num] = field(default_factory=dict)

    def eval(self, name: str, expr: str, **env: int | float | Fraction) -> Num:
        """Evaluate `expr` with `env` plus every value given or computed so far; remember the
        result as `name` (and the given values under their own names)."""
        self.values.update({k: _num(v) for k, v in env.items()})
        value, ops = evaluate(expr, self.values)
        self.ops += ops
        self.values[name] = value
        return value


def evaluate(expr: str, env: Mapping[str, Num]) -> tuple[Num, int]:
    """(value, number of operations) of a formula in Python syntax."""
    count = 0

    def ev(node: ast.AST) -> Num:
        nonlocal count
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return _num(node.value)
        if isinstance(node, ast.Name):
            if node.id not in env:
                raise KeyError(f"formula {expr!r} uses {node.id!r}, which is not given")
            return env[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            count += 1
            return _binary(node.op, left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _FUNCTIONS and len(node.args) == 1:
            arg = ev(node.args[0])
            count += 1
            return _FUNCTIONS[node.func.id](float(arg))
        raise ValueError(f"formula {expr!r}: unsupported syntax {ast.dump(node)[:60]}")

    value = ev(ast.parse(expr, mode="eval").body)
    return value, count
