"""diagnostic/math families: the first wrong step of a worked calculation, 0 if clean.

Registered as `diagnostic.math.<family>`; the package docstring says what they share. Exactly one
seed in six is clean at every difficulty (phases 0, 2 and 4 across the three families, so a
12-item suite slice of four seeds each holds two clean items).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import arith, lineq
from reasonscope.bench.generators.diagnostic.common import error_slot
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.math.expression_steps", behavior=_DIAG, domain=Domain.MATH, version=2,
           why="Each step rewrites the whole expression with one operation done, so the only "
               "work is re-deriving each step from the one before until one changes the value; "
               "the arithmetic per step is a single integer operation.")
def expression_steps(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a one-operation-per-step evaluation of an integer expression.

    2 operations at level 1, 13-16 at level 5. The hard errors keep every digit plausible: a
    difference with its sign lost, `a - b + c` worked right to left, `a + b * c` added first, a
    slip in a middle digit.

    Clean exactly when (seed + difficulty) % 6 == 0: one seed in six at every level.
    """
    return arith.expression_steps(rng, difficulty, error_slot(rng, 0, difficulty))


@generator("diagnostic.math.linear_equation", behavior=_DIAG, domain=Domain.MATH, version=2,
           why="Each step is one named rewrite of a linear equation (expand, clear fractions, "
               "combine, move, divide), so the work is checking each rewrite's equivalence in "
               "turn; the algebra per step is one rule with small integers.")
def linear_equation(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in solving a linear equation (clear fractions, expand, collect, move
    terms, divide).

    2 steps at level 1, 10 at level 5 (three fractions and a bracket). A step is wrong when its
    equation is not equivalent to the previous one: a bracket expanded partly or with a sign
    lost, a numerator multiplied by the whole common denominator, a sign kept when moving a term,
    a coefficient slip, a division turned over.

    Clean exactly when (seed + difficulty + 2) % 6 == 0: one seed in six at every level.
    """
    return lineq.linear_equation_steps(rng, difficulty, error_slot(rng, 2, difficulty))


@generator("diagnostic.math.series_sum", behavior=_DIAG, domain=Domain.MATH, version=2,
           why="The term formula is given and every step shows its substitution, term and "
               "running total, so the only work is re-evaluating each step in turn; each "
               "evaluation is a small polynomial at an integer.")
def series_sum(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in summing a polynomial series term by term with a running total.

    2-3 terms at level 1, 13-16 at level 5 (cubic or alternating quadratic terms). A step can
    go wrong in its index (a skipped term), its term value (a slip, one coefficient's sign
    flipped, the parity of (-1)^k misread) or its running total.

    Clean exactly when (seed + difficulty + 4) % 6 == 0: one seed in six at every level.
    """
    return arith.series_steps(rng, difficulty, error_slot(rng, 4, difficulty))
