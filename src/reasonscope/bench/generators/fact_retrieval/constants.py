"""fact_retrieval/math families: digits and values of named mathematical constants.

Deriving these in the answer would take far more work than recalling them (hundreds of digits,
slowly converging series), and nothing in the prompt but the constant's name is given; constants
with a short derivation (algebraic numbers, fixed points of elementary maps, combinations of pi
and e) are not asked for their values. Difficulty is depth and rarity: the work count is the
number of digits the answer needs recalled.
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import Precision, rounded_answer
from reasonscope.bench.generators.fact_retrieval.common import load_facts, ordinal, pick
from reasonscope.bench.generators.fact_retrieval.digits import CONSTANTS, digits_after_point
from reasonscope.taxonomy import AnswerType, Behavior, Domain

DIGITS_UNIT = "digits"

# --------------------------------------------------------------------------- digits of constants

_DIGIT_LEVELS: dict[int, list[tuple[str, int, int]]] = {
    1: [("pi", 1, 15), ("e", 1, 10), ("sqrt2", 1, 8)],
    2: [("pi", 16, 30), ("e", 11, 20), ("sqrt2", 9, 20), ("phi", 1, 10), ("sqrt3", 1, 10)],
    3: [("pi", 31, 50), ("e", 21, 40), ("sqrt2", 21, 40), ("phi", 11, 25), ("sqrt3", 11, 25),
        ("ln2", 1, 15)],
    4: [("pi", 51, 100), ("e", 41, 100), ("sqrt2", 41, 100), ("phi", 26, 60),
        ("sqrt3", 26, 60), ("ln2", 16, 50)],
    5: [(k, 101, 300) for k in ("pi", "e", "sqrt2", "phi", "sqrt3", "ln2")],
}


def _grouped(digits: str) -> str:
    return " ".join(digits[i:i + 10] for i in range(0, len(digits), 10))


@generator("fact_retrieval.math.constant_digits", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.MATH, version=2,
           why="Only the constant's name and a position are given; computing deep digits by "
               "hand is out of reach, so recalling the memorised expansion is the route; the "
               "work is the number of digits recited up to the asked one.")
def constant_digits(rng: random.Random, difficulty: int) -> Draft:
    """The n-th decimal digit of pi, e, sqrt 2, sqrt 3, the golden ratio or ln 2."""
    key, lo, hi = pick(rng, _DIGIT_LEVELS[difficulty])
    n = rng.randint(lo, hi)
    whole, digits = digits_after_point(key, n)
    label = CONSTANTS[key][0]
    symbol = label.split(" ")[0]
    return Draft(
        prompt=f"What is the {ordinal(n)} digit after the decimal point of {label}? Give the "
               "digit as an integer.", answer=digits[-1], answer_type=AnswerType.INTEGER,
        steps=(f"{symbol} = {whole}.{_grouped(digits)}...",
               f"Counting from the decimal point, digit {n} is {digits[-1]}."),
        meta={"facts": [f"{key}:{n}"], "constant": key, "n": n}, work=n,
        work_unit=DIGITS_UNIT)


# --------------------------------------------------------------------------- named constants

# level: (tiers of constants asked, significant figures)
_VALUE_LEVELS = {1: ((1,), 3), 2: ((1, 2), 4), 3: ((2, 3), 5), 4: ((3, 4), 6), 5: ((4, 5), 7)}


@cache
def named_constants() -> tuple[dict[str, Any], ...]:
    return tuple(load_facts("math_constants.json")["constants"])


@generator("fact_retrieval.math.named_constants", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.MATH,
           why="Only the constant's name is given and none asked has a short derivation (no "
               "algebraic numbers or fixed points), so the value is recalled; the work is the "
               "number of significant digits recalled, on rarer constants at higher levels.")
def named_constants_value(rng: random.Random, difficulty: int) -> Draft:
    """The value of a named mathematical constant (pi to the Ramanujan-Soldner constant)."""
    tiers, sig = _VALUE_LEVELS[difficulty]
    row = pick(rng, [c for c in named_constants() if c["tier"] in tiers])
    precision = Precision(sig=sig)
    answer, tolerance = rounded_answer(Fraction(row["value"]), precision)
    return Draft(
        prompt=f"What is the value of {row['label']}, {precision.phrase()}?", answer=answer,
        answer_type=AnswerType.NUMBER, tolerance=tolerance,
        steps=(f"{row['label']} = {row['value']}...",
               f"Rounded to {sig} significant figures: {answer}."),
        meta={"facts": [f"{row['key']}:{sig}"], "constant": row["key"],
              "precision": precision.meta()}, work=sig,
        work_unit=DIGITS_UNIT)
