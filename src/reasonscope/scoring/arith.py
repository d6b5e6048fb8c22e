"""Exact value of a closed-form numeric answer (`\\binom{4}{2}`, `6!`, `\\frac{4 \\cdot 3}{2}`).

A recursive-descent reader over numbers, `+ - * / ^`, `\\times \\cdot \\div`, `\\frac`, `\\binom`,
`\\sqrt[n]{}`, `!`, `\\pi` and brackets, in exact arithmetic (Fraction) wherever the value is
rational and in floating point only where it cannot be (`\\sqrt{2}`, `\\pi`). It reads the longest
prefix that is such an expression and says where it stopped, so the caller decides whether the
rest is a unit (`\\frac{9}{2} grams`) or more mathematics (`3x - 2`: then not a number at all).

Every operation is bounded before it is computed (digits of a power, a factorial, a binomial),
so `9^{9^{9}}` is refused in microseconds, never evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

Value = Fraction | float

MAX_DIGITS = 1000  # of any intermediate numerator or denominator
MAX_FACTORIAL = 450  # 450! has 1,000 digits
MAX_BINOM_N = 5000
MAX_DEPTH = 40

_TOKEN_RE = re.compile(
    r"\s*(?:"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+(?![\d.])|\d+)(?:\.\d*)?|\.\d+)"
    r"|(?P<cmd>\\(?:[A-Za-z]+|.))"
    r"|(?P<op>\*\*|[-+*/^!(){}\[\]×·÷−])"
    r")"
)
_MUL_CMDS = frozenset({"\\times", "\\cdot", "\\ast"})
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_LOG10_2 = math.log10(2)


class _Stop(Exception):
    """The expression cannot be read or evaluated (too big, malformed, not numeric)."""


@dataclass(frozen=True)
class Reading:
    value: Value
    end: int  # index in the text where the expression stopped
    used_decimal_point: bool
    is_sum: bool  # a top-level + or - (`1+2`): a unit after it would belong to the last term


def _digits(q: Fraction) -> float:
    return max(q.numerator.bit_length(), q.denominator.bit_length()) * _LOG10_2


def _checked(v: Value) -> Value:
    if isinstance(v, Fraction):
        if _digits(v) > MAX_DIGITS:
            raise _Stop
        return v
    if math.isnan(v) or math.isinf(v):
        raise _Stop
    return v


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.decimal = False
        self.is_sum = False

    # -- tokens ------------------------------------------------------------------------------
    def peek(self) -> tuple[str, str, int] | None:
        """(kind, token, end) of the next token, without consuming it."""
        m = _TOKEN_RE.match(self.text, self.pos)
        if m is None or m.lastgroup is None:
            return None
        tok = m.group(m.lastgroup)
        if tok == "−":
            tok = "-"
        return m.lastgroup, tok, m.end()

    def take(self, token: str) -> bool:
        nxt = self.peek()
        if nxt is not None and nxt[1] == token:
            self.pos = nxt[2]
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.take(token):
            raise _Stop

    # -- grammar -----------------------------------------------------------------------------
    def expression(self) -> Value:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Stop
        value = self.term()
        while True:
            nxt = self.peek()
            if nxt is None or nxt[1] not in "+-" or nxt[0] != "op":
                break
            save = self.pos
            self.pos = nxt[2]
            try:
                rhs = self.term()
            except _Stop:  # `5 - x`: the expression ended before the operator
                self.pos = save
                break
            value = _checked(value + rhs if nxt[1] == "+" else value - rhs)
            if self.depth == 1:
                self.is_sum = True
        self.depth -= 1
        return value

    def term(self) -> Value:
        value = self.unary()
        while True:
            nxt = self.peek()
            if nxt is None:
                break
            kind, tok, end = nxt
            is_mul = tok in ("*", "×", "·") or tok in _MUL_CMDS
            is_div = tok in ("/", "÷") or tok == "\\div"
            save = self.pos
            if is_mul or is_div:
                self.pos = end
            elif not self._implicit_factor_follows(kind, tok):
                break
            try:
                rhs = self.unary()
            except _Stop:
                self.pos = save
                break
            if is_div:
                if rhs == 0:
                    raise _Stop
                value = _checked(value / rhs)
            else:
                value = _checked(value * rhs)
        return value

    def _implicit_factor_follows(self, kind: str, tok: str) -> bool:
        """`2\\pi`, `3\\sqrt{2}`, `2(3+4)`, `2!8!`: juxtaposition multiplies only there.

        Not before `\\frac`: `2\\frac{1}{2}` is a mixed number to some readers and a product to
        others, so it is left unread rather than guessed.
        """
        if tok in ("\\pi", "\\sqrt", "("):
            return True
        return kind == "num" and self.text[:self.pos].rstrip().endswith(("!", ")"))

    def unary(self) -> Value:
        if self.take("-"):
            return -self.unary()
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self) -> Value:
        base = self.postfix()
        nxt = self.peek()
        if nxt is None or nxt[1] not in ("^", "**"):
            return base
        save = self.pos
        self.pos = nxt[2]
        after = self.peek()
        if after is not None and after[1] == "\\circ":  # 30^\circ: a degree sign, not a power
            self.pos = save
            return base
        exponent = self.exponent()
        return _power(base, exponent)

    def exponent(self) -> Value:
        negative = self.take("-")
        if not negative:
            self.take("+")
        nxt = self.peek()
        if nxt is None:
            raise _Stop
        if nxt[0] == "num":  # `2^10` means 2^{10}, as models write it (TeX would read 2^{1}0)
            self.pos = nxt[2]
            value = self.number(nxt[1])
        else:
            value = self.atom()  # a group, `\frac12`, `\sqrt{2}`
        return -value if negative else value

    def postfix(self) -> Value:
        value = self.atom()
        while self.take("!"):
            if self.text.startswith("!", self.pos):  # n!! is the double factorial
                self.pos += 1
                value = _factorial(value, step=2)
            else:
                value = _factorial(value)
        return value

    def atom(self) -> Value:
        nxt = self.peek()
        if nxt is None:
            raise _Stop
        kind, tok, end = nxt
        if kind == "num":
            self.pos = end
            return self.number(tok)
        if tok in _OPENERS:
            return self.group()
        if tok == "\\frac":
            self.pos = end
            num, den = self.braced(), self.braced()
            if den == 0:
                raise _Stop
            return _checked(num / den)
        if tok == "\\binom":
            self.pos = end
            return _binom(self.braced(), self.braced())
        if tok == "\\sqrt":
            self.pos = end
            index: Value = Fraction(2)
            if self.take("["):
                index = self.expression()
                self.expect("]")
            return _root(self.braced(), index)
        if tok == "\\pi":
            self.pos = end
            return math.pi
        raise _Stop

    def group(self) -> Value:
        nxt = self.peek()
        assert nxt is not None
        self.pos = nxt[2]
        value = self.expression()
        self.expect(_OPENERS[nxt[1]])
        return value

    def braced(self) -> Value:
        nxt = self.peek()
        if nxt is None or nxt[1] != "{":
            raise _Stop
        return self.group()

    def number(self, tok: str) -> Value:
        if "." in tok:
            self.decimal = True
        return Fraction(tok.replace(",", ""))


def _integer(v: Value) -> int:
    if isinstance(v, Fraction) and v.denominator == 1:
        return v.numerator
    raise _Stop


def _factorial(v: Value, step: int = 1) -> Value:
    n = _integer(v)
    if n < 0 or n > MAX_FACTORIAL * step:
        raise _Stop
    if step == 1:
        return Fraction(math.factorial(n))
    return Fraction(math.prod(range(n, 0, -step)))


def _binom(n_v: Value, k_v: Value) -> Value:
    n, k = _integer(n_v), _integer(k_v)
    if n < 0 or n > MAX_BINOM_N or k < 0:
        raise _Stop
    return _checked(Fraction(math.comb(n, k)))


def _power(base: Value, exponent: Value) -> Value:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        e = exponent.numerator
        if isinstance(base, Fraction):
            if base == 0 and e < 0:
                raise _Stop
            if abs(e) * _digits(base) > MAX_DIGITS and abs(base) != 1:
                raise _Stop
            return _checked(base ** e)
        if abs(e) > 10_000:
            raise _Stop
        return _checked(float(base) ** e)
    if isinstance(exponent, Fraction) and isinstance(base, Fraction) and base >= 0:
        root = _root(base, Fraction(exponent.denominator))
        return _power(root, Fraction(exponent.numerator))
    if base < 0:
        raise _Stop
    try:
        return _checked(float(base) ** float(exponent))
    except OverflowError as exc:
        raise _Stop from exc


def _root(v: Value, index_v: Value) -> Value:
    index = _integer(index_v)
    if index < 1 or index > 64:
        raise _Stop
    if isinstance(v, Fraction):
        if v < 0:
            if index % 2 == 0:
                raise _Stop
            r = _root(-v, index_v)
            return -r
        num, den = _exact_root(v.numerator, index), _exact_root(v.denominator, index)
        if num is not None and den is not None:
            return Fraction(num, den)
    if v < 0:
        raise _Stop
    return _checked(float(v) ** (1.0 / index))


def _exact_root(n: int, k: int) -> int | None:
    if n.bit_length() > 4 * MAX_DIGITS:
        return None
    r = math.isqrt(n) if k == 2 else round(n ** (1.0 / k)) if n.bit_length() < 1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** k == n:
            return c
    return None


def read_closed_form(text: str) -> Reading | None:
    """The value of the longest numeric expression at the start of `text`, and where it ends."""
    reader = _Reader(text)
    try:
        value = reader.expression()
    except (_Stop, ZeroDivisionError, OverflowError, ValueError, RecursionError):
        return None
    return Reading(value, reader.pos, reader.decimal, reader.is_sum)
