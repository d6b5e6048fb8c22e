"""calculation/coding families: values of Python expressions under Python 3 semantics.

The expression is complete and self-contained; the only thing tested is applying Python's rules
exactly: floor division and modulo on negatives, operator precedence (`-2 ** 2`, `1 << 2 + 3`),
two's-complement bit operations, true division to floats, banker's rounding and `int()`
truncation. Answers are computed by the hand semantics in `pyexpr`, never by `eval`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import (
    Precision,
    Resample,
    precision_meta,
    rounded_answer,
)
from reasonscope.bench.generators.calculation.pyexpr import (
    PNode,
    Reject,
    Value,
    evaluate,
    lit,
    render,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

Builder = Callable[[random.Random, int], PNode]


REPR_PROMPT = "Answer with the value exactly as Python's repr() would print it."
FLOAT_PLACES = 6
FLOAT_PROMPT = (f"Answer as repr() prints it, but a float with over {FLOAT_PLACES} decimals "
                f"rounded to {FLOAT_PLACES} decimal places.")


def _draw(rng: random.Random, difficulty: int, build: Builder,
          must_contain: tuple[str, ...]) -> tuple[str, Value, list[str]]:
    limit = 10 ** (3 + 2 * difficulty)
    for _ in range(2000):
        tree = build(rng, difficulty)
        text = render(tree)
        if must_contain and not any(tok in text for tok in must_contain):
            continue
        trace: list[str] = []
        try:
            value = evaluate(tree, trace, limit)
        except Reject:
            continue
        if difficulty >= 3 and _guessable(value):
            continue
        return text, value, trace
    raise RuntimeError("no valid expression generated")  # pragma: no cover


def _guessable(value: Value) -> bool:
    """0, 1 and -1 (or a tuple of them): answers a long expression should not collapse to."""
    return all(v in (0, 1, -1) for v in (value if isinstance(value, tuple) else (value,)))


def _long_float(value: Value) -> bool:
    """A float whose repr has an exponent or more than FLOAT_PLACES decimals."""
    text = repr(value)
    return isinstance(value, float) and ("e" in text or len(text.split(".")[1]) > FLOAT_PLACES)


def _expr_draft(rng: random.Random, difficulty: int, build: Builder,
                must_contain: tuple[str, ...] = (), floats: bool = False) -> Draft:
    """An expression item; `floats` allows float results (long ones are asked rounded)."""
    for _ in range(200):
        text, value, trace = _draw(rng, difficulty, build, must_contain)
        if not (floats and _long_float(value)):
            answer = repr(value)
            steps = (*trace[:-1], f"`{text}` evaluates to {answer}.")
            return Draft(prompt=f"In Python 3, what is the value of the expression `{text}`? "
                                f"{FLOAT_PROMPT if floats else REPR_PROMPT}",
                         answer=answer, answer_type=AnswerType.PYTHON, steps=steps,
                         meta={"expression": text}, work=len(trace), work_unit="operations")
        assert isinstance(value, float)
        if abs(value) >= 1e6:
            continue  # 6 decimals would ask for more digits than a double carries
        precision = Precision(places=FLOAT_PLACES)
        try:
            answer, tolerance = rounded_answer(value, precision)
        except Resample:
            continue
        steps = (*trace[:-1], f"`{text}` evaluates to {value!r}, which is {answer} rounded to "
                 f"{FLOAT_PLACES} decimal places.")
        return Draft(prompt=f"In Python 3, what is the value of the expression `{text}`? "
                            f"{FLOAT_PROMPT}", answer=answer, answer_type=AnswerType.NUMBER,
                     tolerance=tolerance, steps=steps,
                     meta={"expression": text, "float_repr": repr(value),
                           **precision_meta(precision)},
                     work=len(trace), work_unit="operations")
    raise RuntimeError("no float expression with an unambiguous rounding")  # pragma: no cover


def _split(rng: random.Random, n: int) -> tuple[int, int]:
    k = rng.randint(0, n - 1)
    return k, n - 1 - k


# --------------------------------------------------------------------------- integer operators

# ops per expression, literal magnitude, divisor magnitude
_INT_LEVELS = {1: (1, 20, 9), 2: (2, 30, 12), 3: (4, 50, 12), 4: (7, 200, 20),
               5: (13, 9999, 60)}


def _int_tree(rng: random.Random, n: int, level: int) -> PNode:
    _, mag, dmag = _INT_LEVELS[level]
    if n == 0:
        return lit(rng.choice([-1, 1]) * rng.randint(1, mag))
    r = rng.random()
    if level >= 3 and r < 0.2:
        base, exp = rng.randint(2, 7), lit(rng.randint(2, 3))
        power = (PNode("un", "-", args=(PNode("bin", "**", args=(lit(base), exp)),))
                 if rng.random() < 0.5 else PNode("bin", "**", args=(lit(-base), exp)))
        if n == 1:
            return power
        return PNode("bin", rng.choice("+-*"), args=(power, _int_tree(rng, n - 1, level)))
    if level >= 4 and r < 0.35:
        if rng.random() < 0.5:
            return PNode("call", "abs", args=(_int_tree(rng, n - 1, level),))
        call = PNode("call", "pow", args=(lit(rng.randint(-mag, mag)), lit(rng.randint(2, 40)),
                                           lit(rng.randint(2, dmag))))
        return call if n == 1 else PNode("bin", rng.choice("+-"), args=(
            call, _int_tree(rng, n - 1, level)))
    op = rng.choice(("//", "%") if level == 1 else ("+", "-", "*", "//", "%", "//", "%"))
    if op in ("//", "%") and (level == 1 or rng.random() < 0.6):
        d = rng.randint(2, dmag)
        right = lit(d if level == 1 or rng.random() < 0.5 else -d)
        return PNode("bin", op, args=(_int_tree(rng, n - 1, level), right))
    a, b = _split(rng, n)
    return PNode("bin", op, args=(_int_tree(rng, a, level), _int_tree(rng, b, level)))


def _int_expr(rng: random.Random, level: int) -> PNode:
    n = _INT_LEVELS[level][0]
    if level >= 4 and rng.random() < 0.3:
        a, b = _split(rng, n)
        return PNode("call", "divmod", args=(_int_tree(rng, a, level), _int_tree(rng, b, level)))
    return _int_tree(rng, n, level)


@generator("calculation.coding.integer_ops", behavior=Behavior.CALCULATION,
           domain=Domain.CODING, version=2,
           why="Every operand is a literal and the expression fixes the order, so no code is "
               "traced or recalled; the item is applying Python's floor division, modulo and "
               "precedence rules exactly, from one // to thirteen operations on large values.")
def integer_ops(rng: random.Random, difficulty: int) -> Draft:
    """Value of an integer expression with //, %, ** and negatives (plus divmod, pow, abs)."""
    return _expr_draft(rng, difficulty, _int_expr, ("//", "%", "divmod", "pow"))


# --------------------------------------------------------------------------- bit operations

# ops, literal max, allow negatives, literal styles, arithmetic mixed in
_BIT_LEVELS: dict[int, tuple[int, int, bool, tuple[str, ...], bool]] = {
    1: (1, 15, False, ("dec",), False),
    2: (2, 63, False, ("dec",), False),
    3: (3, 63, True, ("dec", "hex"), False),
    4: (6, 255, True, ("dec", "hex", "bin"), True),
    5: (12, 65535, True, ("dec", "hex", "bin"), True),
}


def _bit_tree(rng: random.Random, n: int, level: int) -> PNode:
    _, top, neg, styles, arith = _BIT_LEVELS[level]
    if n == 0:
        v = rng.randint(0, top)
        return lit(-v if neg and rng.random() < 0.3 else v, rng.choice(styles))
    if level >= 2 and rng.random() < 0.2:
        return PNode("un", "~", args=(_bit_tree(rng, n - 1, level),))
    ops = ["&", "|", "^", "&", "|", "^", "<<", ">>"] + (["+", "-"] if arith else [])
    op = rng.choice(ops)
    if op in ("<<", ">>"):
        return PNode("bin", op, args=(_bit_tree(rng, n - 1, level),
                                      lit(rng.randint(1, 3 if level <= 3 else 5))))
    a, b = _split(rng, n)
    return PNode("bin", op, args=(_bit_tree(rng, a, level), _bit_tree(rng, b, level)))


@generator("calculation.coding.bitwise_ops", behavior=Behavior.CALCULATION, domain=Domain.CODING,
           version=2,
           why="All operands are literals and the expression is complete, so nothing is traced "
               "or recalled; the item is two's-complement bit arithmetic under Python's operator "
               "precedence, from one & to twelve operations on 16-bit values.")
def bitwise_ops(rng: random.Random, difficulty: int) -> Draft:
    """Value of an expression with &, |, ^, ~, <<, >> (negatives, hex/binary literals later)."""
    return _expr_draft(rng, difficulty, lambda r, d: _bit_tree(r, _BIT_LEVELS[d][0], d))


# --------------------------------------------------------------------------- floats and rounding


def _float_leaf(rng: random.Random, level: int) -> PNode:
    kind = rng.random()
    if kind < 0.3:
        return lit(rng.randint(-12, 12) or 3)
    if kind < 0.6:
        return lit(rng.randint(-40, 40) / 4 or 0.5)
    places = 1 if level <= 3 else rng.randint(1, 3)
    scale = 10**places
    return lit(round(rng.randint(-20 * scale, 20 * scale) / scale, places) or 1.5)


def _float_tree(rng: random.Random, n: int, level: int) -> PNode:
    if n == 0:
        return _float_leaf(rng, level)
    r = rng.random()
    if r < 0.3:
        fn = rng.choice(["round", "round", "int", "abs"])
        inner = _float_tree(rng, n - 1, level)
        if fn == "round" and level >= 3 and rng.random() < 0.5:
            return PNode("call", "round", args=(inner, lit(rng.randint(0, 2))))
        return PNode("call", fn, args=(inner,))
    op = rng.choice(["+", "-", "*", "/", "/", "//", "%"])
    a, b = _split(rng, n)
    return PNode("bin", op, args=(_float_tree(rng, a, level), _float_tree(rng, b, level)))


def _float_l1(rng: random.Random) -> PNode:
    form = rng.randrange(4)
    if form == 0:
        return PNode("bin", "/", args=(lit(rng.randint(1, 20)), lit(rng.randint(2, 9))))
    if form == 1:
        x = rng.randint(0, 9) + (0.5 if rng.random() < 0.6 else rng.randint(1, 9) / 10)
        return PNode("call", "round", args=(lit(x),))
    if form == 2:
        return PNode("call", "int", args=(lit(-(rng.randint(1, 20) + rng.randint(1, 9) / 10)),))
    return PNode("bin", "//", args=(lit(rng.randint(3, 40) / 2), lit(rng.randint(2, 5))))


_FLOAT_OPS = {2: 2, 3: 3, 4: 5, 5: 9}


def _float_expr(rng: random.Random, level: int) -> PNode:
    if level == 1:
        return _float_l1(rng)
    if level >= 4 and rng.random() < 0.3:
        # round(x, n) on a value whose decimal text is an exact tie but whose binary value is not
        places = rng.randint(1, 2)
        scale = 10**places
        x = (rng.randint(1, 30 * scale) * 10 + 5) / (10 * scale)
        tie = PNode("call", "round", args=(lit(x), lit(places)))
        return PNode("bin", rng.choice("+-*"), args=(tie, _float_tree(rng, _FLOAT_OPS[level] - 2,
                                                                      level)))
    return _float_tree(rng, _FLOAT_OPS[level], level)


@generator("calculation.coding.float_semantics", behavior=Behavior.CALCULATION,
           domain=Domain.CODING, version=2,
           why="Every operand is given, so nothing is traced or recalled; the item is Python's "
               "numeric rules (result types, banker's rounding, binary value of decimal "
               "literals); a float result with a long repr is asked rounded to 6 decimals.")
def float_semantics(rng: random.Random, difficulty: int) -> Draft:
    """Value of an expression mixing ints and floats: /, //, %, round (half to even), int().

    An int or a float with a short repr is compared as a Python value (so 4 and 4.0 differ);
    a float whose repr has more than 6 decimals is asked rounded to 6 decimal places, so a model
    is not required to reproduce the last bits of a binary double.
    """
    return _expr_draft(rng, difficulty, _float_expr, floats=True)
