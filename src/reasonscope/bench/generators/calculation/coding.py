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
from reasonscope.bench.generators.calculation.pyexpr import PNode, Reject, evaluate, lit, render
from reasonscope.taxonomy import AnswerType, Behavior, Domain

Builder = Callable[[random.Random, int], PNode]


def _expr_draft(rng: random.Random, difficulty: int, build: Builder,
                must_contain: tuple[str, ...] = ()) -> Draft:
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
        break
    else:  # pragma: no cover - the builders below succeed within a few tries
        raise RuntimeError("no valid expression generated")
    answer = repr(value)
    steps = (*trace[:-1], f"`{text}` evaluates to {answer}.")
    return Draft(
        prompt=(f"In Python 3, what is the value of the expression `{text}`? Answer with the "
                "value exactly as Python's repr() would print it."),
        answer=answer, answer_type=AnswerType.PYTHON, steps=steps, meta={"expression": text},
    )


def _split(rng: random.Random, n: int) -> tuple[int, int]:
    k = rng.randint(0, n - 1)
    return k, n - 1 - k


# --------------------------------------------------------------------------- integer operators

# ops per expression, literal magnitude, divisor magnitude
_INT_LEVELS = {1: (1, 20, 9), 2: (2, 30, 12), 3: (4, 50, 12), 4: (6, 200, 20), 5: (9, 999, 40)}


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
           domain=Domain.CODING)
def integer_ops(rng: random.Random, difficulty: int) -> Draft:
    """Value of an integer expression with //, %, ** and negatives (plus divmod, pow, abs).

    Tests Python's floor semantics and precedence; every operand is a literal in the prompt.
    """
    return _expr_draft(rng, difficulty, _int_expr, ("//", "%", "divmod", "pow"))


# --------------------------------------------------------------------------- bit operations

# ops, literal max, allow negatives, literal styles, arithmetic mixed in
_BIT_LEVELS: dict[int, tuple[int, int, bool, tuple[str, ...], bool]] = {
    1: (1, 15, False, ("dec",), False),
    2: (2, 63, False, ("dec",), False),
    3: (3, 63, True, ("dec", "hex"), False),
    4: (5, 255, True, ("dec", "hex", "bin"), True),
    5: (8, 4095, True, ("dec", "hex", "bin"), True),
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


@generator("calculation.coding.bitwise_ops", behavior=Behavior.CALCULATION, domain=Domain.CODING)
def bitwise_ops(rng: random.Random, difficulty: int) -> Draft:
    """Value of an expression with &, |, ^, ~, <<, >> (negatives, hex/binary literals later).

    Isolates two's-complement bit arithmetic and Python's precedence of shifts and bit operators
    relative to + and -; all operands are literals.
    """
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


_FLOAT_OPS = {2: 2, 3: 3, 4: 5, 5: 7}


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
           domain=Domain.CODING)
def float_semantics(rng: random.Random, difficulty: int) -> Draft:
    """Value of an expression mixing ints and floats: /, //, %, round (half to even), int().

    Tests Python's numeric tower and rounding rules (result types, banker's rounding, binary
    representation of decimal literals) with every operand given.
    """
    return _expr_draft(rng, difficulty, _float_expr)
