"""Number formatting and answer precision shared by the calculation families.

Canonical answers must be exact and printed without exponent or float noise, so that the text a
model is compared against is the value itself and not an artefact of binary floating point.

A rounded answer states its precision in the prompt ("rounded to 4 significant figures", "to the
cent") and the tolerance is exactly half a unit of the last requested digit around the correctly
rounded value: every value that rounds to the canonical answer is accepted, and a value one unit
off in the last requested digit is not. Values too close to a rounding midpoint to round
unambiguously are drawn again (`Resample`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from typing import Any, TypeVar

from reasonscope.bench.generators.base import Draft
from reasonscope.taxonomy import AnswerType

T = TypeVar("T")

_CTX = Context(prec=60)
MIDPOINT_MARGIN = Fraction(49, 100)
"""A value must lie within 0.49 units of its rounded value (not near a midpoint) to be used."""


class Resample(ValueError):
    """The drawn numbers do not make a good item (ambiguous rounding); draw again."""


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


@dataclass(frozen=True)
class Precision:
    """How precisely a numeric answer is asked for: significant figures or decimal places."""

    sig: int | None = None
    places: int | None = None

    def unit(self, value: Fraction) -> Fraction:
        """One unit of the last requested digit for a value of this size."""
        if self.places is not None:
            return Fraction(1, 10**self.places)
        assert self.sig is not None
        exponent = to_decimal(abs(value)).adjusted() - self.sig + 1
        return Fraction(10) ** exponent

    def phrase(self) -> str:
        if self.places is not None:
            return f"rounded to {self.places} decimal place{'s' if self.places != 1 else ''}"
        return f"rounded to {self.sig} significant figures"

    def meta(self) -> dict[str, int]:
        return {"places": self.places} if self.places is not None else {"sig": int(self.sig or 0)}


def rounded_answer(value: float | Fraction | int, precision: Precision) -> tuple[str, float]:
    """(canonical text, relative tolerance) of `value` rounded as `precision` asks.

    The tolerance is half a unit of the last requested digit, relative to the canonical value.
    Raises `Resample` when the value is within 1% of a unit of a rounding midpoint, or rounds
    to zero."""
    exact = Fraction(value)
    if exact == 0:
        raise Resample("zero answer")
    unit = precision.unit(exact)
    rounded = round(exact / unit) * unit
    if precision.sig is not None and rounded != 0 and precision.unit(rounded) != unit:
        unit = precision.unit(rounded)  # 9.9996 -> 10.00: the unit grows with the rounding
        rounded = round(exact / unit) * unit
    if rounded == 0:
        raise Resample("rounds to zero")
    if abs(exact - rounded) > MIDPOINT_MARGIN * unit:
        raise Resample("too close to a rounding midpoint")
    text = plain(to_decimal(rounded))
    return text, float(unit / 2 / abs(rounded))


def precision_meta(precision: Precision) -> dict[str, Any]:
    return {"precision": precision.meta()}


def retry(draw: Callable[[], T], attempts: int = 200) -> T:
    """Call `draw` until it does not raise `Resample` (the random stream moves on each time)."""
    for _ in range(attempts):
        try:
            return draw()
        except Resample:
            continue
    raise RuntimeError(f"no valid item after {attempts} draws")


def measured_draft(prompt: str, value: float | Fraction, unit: str, steps: list[str],
                   meta: dict[str, Any], work: int, sig: int = 4) -> Draft:
    """A physical quantity asked in `unit` to `sig` significant figures (tolerance: half a unit
    of the last figure); `work` is the number of operations of the solution."""
    precision = Precision(sig=sig)
    answer, tolerance = rounded_answer(value, precision)
    return Draft(prompt=f"{prompt} Give the answer in {unit}, {precision.phrase()}.",
                 answer=answer, answer_type=AnswerType.NUMBER, tolerance=tolerance,
                 steps=(*steps, f"Rounded to {sig} significant figures: {answer} {unit}."),
                 meta={**meta, "unit": unit, **precision_meta(precision)},
                 work=work, work_unit="operations")
