"""Number formatting shared by the terminal tables and the HTML report."""

from __future__ import annotations

import math

from reasonscope.results.stats import Difference, Estimate

DASH = "–"


def num(x: float, digits: int = 3, signed: bool = False) -> str:
    if not math.isfinite(x):
        return DASH
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def est(e: Estimate, digits: int = 3) -> str:
    """`0.620 [0.550, 0.700]`; a dash for an undefined value (empty cell, guard tripped)."""
    if not math.isfinite(e.value):
        return f"{DASH} (n={e.n})" if e.n == 0 else DASH
    return f"{num(e.value, digits)} [{num(e.lo, digits)}, {num(e.hi, digits)}]"


def diff(d: Difference, digits: int = 3) -> str:
    if not math.isfinite(d.value):
        return f"{DASH} (n={d.n})" if d.n == 0 else DASH
    mark = "*" if d.significant else ""
    return (f"{num(d.value, digits, signed=True)} [{num(d.lo, digits, signed=True)}, "
            f"{num(d.hi, digits, signed=True)}]{mark}")


def pvalue(p: float) -> str:
    if not math.isfinite(p):
        return DASH
    return f"{p:.4f}" if p >= 1e-4 else f"{p:.1e}"


def pct(x: float) -> str:
    return f"{100 * x:.0f}%" if math.isfinite(x) else DASH
