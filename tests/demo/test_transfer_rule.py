"""The transfer index is reported only where its denominator means something: undefined when
the bootstrap CI of the math term DI_math contains 0, with its own CI where defined."""

from __future__ import annotations

import math

import numpy as np

from reasonscope.results.profiles import _ti_estimate
from reasonscope.taxonomy import DOMAINS, Domain

MATH = DOMAINS.index(Domain.MATH)


def di_draws(math_center: float, spread: float, n: int = 2000) -> np.ndarray:
    rng = np.random.default_rng(0)
    reps = rng.normal(0.5, 0.1, size=(n, len(DOMAINS)))
    reps[:, MATH] = rng.normal(math_center, spread, size=n)
    return reps


def test_ti_undefined_when_the_math_terms_ci_contains_zero() -> None:
    reps = di_draws(0.02, 0.05)  # CI about [-0.08, 0.12]
    point = np.full(len(DOMAINS), 0.5)
    point[MATH] = 0.02
    ti_reps = 100 * reps / reps[:, [MATH]]
    est = _ti_estimate(2500.0, ti_reps[:, 1], 40, point, reps)
    assert math.isnan(est.value) and math.isnan(est.lo) and math.isnan(est.hi)


def test_ti_defined_with_its_ci_when_math_clearly_moved() -> None:
    reps = di_draws(1.0, 0.1)
    point = np.full(len(DOMAINS), 0.5)
    point[MATH] = 1.0
    ti_reps = 100 * reps / reps[:, [MATH]]
    est = _ti_estimate(50.0, ti_reps[:, 1], 40, point, reps)
    assert est.value == 50.0
    assert est.lo < 50.0 < est.hi and est.hi - est.lo < 60
