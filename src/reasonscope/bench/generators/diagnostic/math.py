"""diagnostic/math families: the first wrong step or line of a math artefact, 0 if clean.

Registered as `diagnostic.math.<family>`; the package docstring says what they share.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import arith, lineq
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.math.expression_steps", behavior=_DIAG, domain=Domain.MATH)
def expression_steps(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a one-operation-per-step evaluation of an integer expression.

    Each step rewrites the whole expression, so each can be checked on its own; the injected slip,
    sign error or dropped term carries through, leaving a consistent but wrong result.
    """
    return arith.expression_steps(rng, difficulty)


@generator("diagnostic.math.linear_equation", behavior=_DIAG, domain=Domain.MATH)
def linear_equation(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in solving a linear equation (expand, collect, move terms, divide).

    A step is wrong when its equation is not equivalent to the previous one: a partly expanded
    bracket, a sign kept when moving a term, a coefficient slip, a division turned over.
    """
    return lineq.linear_equation_steps(rng, difficulty)


@generator("diagnostic.math.series_sum", behavior=_DIAG, domain=Domain.MATH)
def series_sum(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in summing a polynomial series term by term with a running total.

    A step can go wrong in its index (a skipped term), its term value or its running total;
    the formula is given, so the only work is re-checking each step.
    """
    return arith.series_steps(rng, difficulty)
