"""Number formatting shared by the calculation families.

Canonical answers must be exact and printed without exponent or float noise, so that the text a
model is compared against is the value itself and not an artefact of binary floating point.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction

_CTX = Context(prec=60)


def to_decimal(x: float | Fraction | int) -> Decimal:
    """Exact (for int/Fraction with terminating expansion: to 60 digits) decimal of a number."""
    if isinstance(x, Fraction):
        return _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))
    if isinstance(x, float):
        return Decimal(repr(x))
    return Decimal(x)


def plain(d: Decimal) -> str:
    """Fixed-point text without trailing zeros ('12.50' -> '12.5', '3.000' -> '3')."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_sig(x: float | Fraction | int, sig: int = 6) -> str:
    """Round to `sig` significant figures (half to even) and print in fixed point."""
    d = to_decimal(x)
    if d == 0:
        return "0"
    quantum = Decimal(1).scaleb(d.adjusted() - sig + 1)
    return plain(d.quantize(quantum, rounding=ROUND_HALF_EVEN, context=_CTX))


def fmt_num(x: float | Fraction | int, places: int = 6) -> str:
    """Round to a fixed number of decimal places; used for quantities stated in prompts."""
    d = to_decimal(x)
    return plain(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=_CTX))


def fmt_frac(q: Fraction) -> str:
    """Canonical rational: 'p/q' in lowest terms, or an integer."""
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def sig_instruction(unit: str, sig: int = 4) -> str:
    return f"Give the answer in {unit} to at least {sig} significant figures."
