"""Python expression trees: rendering with Python's precedence, and evaluation by hand.

The evaluator does not call Python's own `//`, `%`, bit operators, `round` or float arithmetic
on the values in question: floor division floors an exact rational, bit operations work on
two's-complement bit lists, float operations round the exact rational result to the nearest
double, and `round` rounds half to even on the exact binary value. Tests compare it with `eval`
of the rendered text, which checks the renderer and the semantics at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

Value = int | float | tuple[int, int]


class Reject(ValueError):
    """The expression leaves the safe range (division by zero, signed zero, huge values)."""


@dataclass(frozen=True)
class PNode:
    kind: str  # "int", "float", "bin", "un", "call"
    op: str = ""  # operator, unary operator or function name; for "int": "dec" | "hex" | "bin"
    value: int | float = 0
    args: tuple[PNode, ...] = field(default_factory=tuple)


PREC = {"|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "//": 6,
        "%": 6, "**": 8}


def lit(v: int | float, style: str = "dec") -> PNode:
    """A literal; negative numbers become unary minus applied to a literal, as Python parses."""
    if v < 0:
        return PNode("un", "-", args=(lit(-v, style),))
    return PNode("float", value=v) if isinstance(v, float) else PNode("int", style, v)


def prec(n: PNode) -> int:
    return PREC[n.op] if n.kind == "bin" else 7 if n.kind == "un" else 9


def render(n: PNode) -> str:
    if n.kind == "int":
        v = int(n.value)
        return format(v, "#x") if n.op == "hex" else format(v, "#b") if n.op == "bin" else str(v)
    if n.kind == "float":
        return repr(float(n.value))
    if n.kind == "call":
        return f"{n.op}({', '.join(render(a) for a in n.args)})"
    if n.kind == "un":
        x = n.args[0]
        text = render(x)
        return f"{n.op}({text})" if prec(x) < 7 or x.kind == "un" else f"{n.op}{text}"
    left, right = n.args
    ls, rs = render(left), render(right)
    if n.op == "**":
        ls = f"({ls})" if prec(left) <= 8 else ls
        rs = f"({rs})" if prec(right) < 7 else rs
    else:
        p = PREC[n.op]
        ls = f"({ls})" if prec(left) < p else ls
        rs = f"({rs})" if prec(right) <= p else rs
    return f"{ls} {n.op} {rs}"


# --------------------------------------------------------------------------- hand semantics


def floor_q(q: Fraction) -> int:
    """Floor of a rational using only division of non-negative integers."""
    n, d = q.numerator, q.denominator  # d > 0
    whole, rem = divmod(abs(n), d)
    if n >= 0:
        return whole
    return -whole - (1 if rem else 0)


def half_even(q: Fraction) -> int:
    fl = floor_q(q)
    diff = q - fl
    if diff > Fraction(1, 2) or (diff == Fraction(1, 2) and fl % 2 == 1):
        return fl + 1
    return fl


def to_float(q: Fraction) -> float:
    """Nearest double to an exact rational (what IEEE arithmetic returns for + - * /)."""
    if q == 0:
        raise Reject("float zero (signed zero is not modelled)")
    if abs(q) > 2**60 or abs(q) < Fraction(1, 2**40):
        raise Reject("float out of the modelled range")
    return float(q)


def _bits(x: int, width: int) -> list[int]:
    u = x + (1 << width) if x < 0 else x
    return [(u >> i) & 1 for i in range(width)]  # only shifts of a non-negative number


def _from_bits(bits: list[int]) -> int:
    u = sum(b << i for i, b in enumerate(bits))
    return u - (1 << len(bits)) if bits[-1] else u


def bitwise(op: str, a: int, b: int) -> int:
    width = max(a.bit_length(), b.bit_length()) + 2
    fa, fb = _bits(a, width), _bits(b, width)
    table = {"&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y}[op]
    return _from_bits([table(x, y) for x, y in zip(fa, fb, strict=True)])


def _dyadic(x: int | float) -> Fraction:
    q = Fraction(x)
    if q.denominator > 1024 or abs(q) > 2**20:
        raise Reject("float floor division outside exactly representable operands")
    return q


def _binary(op: str, a: Value, b: Value) -> Value:
    if isinstance(a, tuple) or isinstance(b, tuple):
        raise Reject("tuple operand")
    is_f = isinstance(a, float) or isinstance(b, float)
    qa, qb = Fraction(a), Fraction(b)
    if op in ("/", "//", "%") and qb == 0:
        raise Reject("division by zero")
    if op in "+-*":
        q = qa + qb if op == "+" else qa - qb if op == "-" else qa * qb
        return to_float(q) if is_f else int(q)
    if op == "/":
        return to_float(qa / qb)
    if op in ("//", "%"):
        if is_f:
            qa, qb = _dyadic(a), _dyadic(b)
        fl = floor_q(qa / qb)
        res = Fraction(fl) if op == "//" else qa - qb * fl
        return to_float(res) if is_f else int(res)
    if is_f:
        raise Reject(f"float operand for {op}")
    ia, ib = int(a), int(b)
    if op == "**":
        if not 0 <= ib <= 12:
            raise Reject("exponent out of range")
        out = 1
        for _ in range(ib):
            out *= ia
        return out
    if op in ("<<", ">>"):
        if not 0 <= ib <= 16:
            raise Reject("shift out of range")
        return ia * 2**ib if op == "<<" else floor_q(Fraction(ia, 2**ib))
    return bitwise(op, ia, ib)


def _call(name: str, args: list[Value]) -> Value:
    if any(isinstance(a, tuple) for a in args):
        raise Reject("tuple argument")
    nums = [a for a in args if not isinstance(a, tuple)]
    x = nums[0]
    if name == "abs":
        return -x if x < 0 else x
    if name == "int":
        q = Fraction(x)
        return floor_q(q) if q >= 0 else -floor_q(-q)
    if name == "round":
        if len(nums) == 1:
            return x if isinstance(x, int) else half_even(Fraction(x))
        nd = int(nums[1])
        scale = Fraction(10) ** nd
        r = Fraction(half_even(Fraction(x) * scale)) / scale
        return to_float(r) if isinstance(x, float) else int(r)
    if name in ("max", "min"):
        best = x
        for y in nums[1:]:
            if (y > best) if name == "max" else (y < best):
                best = y
        return best
    if name == "divmod":
        quot, rem = _binary("//", x, nums[1]), _binary("%", x, nums[1])
        if not isinstance(quot, int) or not isinstance(rem, int):
            raise Reject("float divmod")
        return (quot, rem)
    if name == "pow":
        base, exp, mod = (int(v) for v in nums)
        if mod <= 0 or exp < 0:
            raise Reject("pow arguments")
        out, b = 1, base - mod * floor_q(Fraction(base, mod))
        for _ in range(exp):
            out = out * b - mod * floor_q(Fraction(out * b, mod))
        return out
    raise ValueError(f"unknown function {name}")


def evaluate(n: PNode, trace: list[str] | None = None, limit: int = 10**15) -> Value:
    """Python's value of the expression, computed by the hand semantics above."""
    if n.kind in ("int", "float"):
        return n.value
    if n.kind == "un":
        x = evaluate(n.args[0], trace, limit)
        if isinstance(x, tuple):
            raise Reject("tuple operand")
        if n.op == "-":
            out: Value = -x
        else:
            if isinstance(x, float):
                raise Reject("~ on float")
            out = _from_bits([1 - b for b in _bits(x, x.bit_length() + 2)])
    elif n.kind == "call":
        out = _call(n.op, [evaluate(a, trace, limit) for a in n.args])
    else:
        out = _binary(n.op, evaluate(n.args[0], trace, limit), evaluate(n.args[1], trace, limit))
    for v in out if isinstance(out, tuple) else (out,):
        if abs(v) > limit:
            raise Reject("value too large")
    negative_literal = n.kind == "un" and n.op == "-" and n.args[0].kind in ("int", "float")
    if trace is not None and not negative_literal:
        trace.append(f"{render(n)} = {out!r}")
    return out
