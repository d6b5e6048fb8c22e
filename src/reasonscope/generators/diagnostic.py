"""Diagnostic families: an artefact with numbered steps or lines, at most one of them wrong; the
answer is the first wrong position, or 0 when everything is correct.

About a fifth of the artefacts are clean, so always naming a position does not pay. Errors are
injected into a correct artefact and everything after them follows from the wrong value, so only
the first error is identifiable and finding it takes checking each position, not comparing a final
answer. Difficulty grows with the length of the artefact, the subtlety of the error (small slips,
late positions) and distracting lines that need no checking.
"""

from __future__ import annotations

import random

from reasonscope.generators import (
    _diag_arith,
    _diag_coding,
    _diag_itinerary,
    _diag_lineq,
    _diag_receipt,
    _diag_science,
)
from reasonscope.generators._diag_code_lists import LIST_TEMPLATES
from reasonscope.generators._diag_code_text import TEXT_TEMPLATES
from reasonscope.generators.base import Draft, generator
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.math.expression_steps", behavior=_DIAG, domain=Domain.MATH)
def expression_steps(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a one-operation-per-step evaluation of an integer expression.

    Each step rewrites the whole expression, so each can be checked on its own; the injected slip,
    sign error or dropped term carries through, leaving a consistent but wrong result.
    """
    return _diag_arith.expression_steps(rng, difficulty)


@generator("diagnostic.math.linear_equation", behavior=_DIAG, domain=Domain.MATH)
def linear_equation(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in solving a linear equation (expand, collect, move terms, divide).

    A step is wrong when its equation is not equivalent to the previous one: a partly expanded
    bracket, a sign kept when moving a term, a coefficient slip, a division turned over.
    """
    return _diag_lineq.linear_equation_steps(rng, difficulty)


@generator("diagnostic.math.series_sum", behavior=_DIAG, domain=Domain.MATH)
def series_sum(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in summing a polynomial series term by term with a running total.

    A step can go wrong in its index (a skipped term), its term value or its running total;
    the formula is given, so the only work is re-checking each step.
    """
    return _diag_arith.series_steps(rng, difficulty)


@generator("diagnostic.science.kinematics", behavior=_DIAG, domain=Domain.SCIENCE)
def kinematics(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a car's cruise-and-brake derivation (speeds in km/h, times in min).

    Errors are a wrong conversion factor, a mis-rearranged formula or an arithmetic slip; every
    step shows formula, substitution and result, so each can be re-evaluated from what it shows.
    """
    return _diag_science.derive(rng, difficulty, _diag_science.kinematics(rng, difficulty))


@generator("diagnostic.science.circuit", behavior=_DIAG, domain=Domain.SCIENCE)
def circuit(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a resistor-network derivation (kΩ to Ω, parallel pair, current, power).

    Ohm's law and the parallel rule are standard; the only work is checking each shown step
    against the right formula and its own numbers.
    """
    return _diag_science.derive(rng, difficulty, _diag_science.circuit(rng, difficulty))


@generator("diagnostic.science.gas_law", behavior=_DIAG, domain=Domain.SCIENCE)
def gas_law(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in an ideal-gas derivation (°C to K, kPa to Pa, L to m^3, n = pV/RT).

    R is given, so nothing is recalled; errors are the classic conversion and rearrangement
    mistakes or a slip in the arithmetic.
    """
    return _diag_science.derive(rng, difficulty, _diag_science.gas(rng, difficulty))


@generator("diagnostic.coding.list_function_bug", behavior=_DIAG, domain=Domain.CODING)
def list_function_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in list-processing functions, given tests the original passes.

    The mutant (operator, comparison, off-by-one, index or range bound) is kept only when running
    it fails a shown test; the docstrings state the contract the wrong line breaks.
    """
    return _diag_coding.bug_hunt(rng, difficulty, LIST_TEMPLATES)


@generator("diagnostic.coding.text_number_bug", behavior=_DIAG, domain=Domain.CODING)
def text_number_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in string and integer functions, given tests the original passes.

    Same construction as the list family over a different bank (digits, primes, bases,
    brackets, ciphers), so the cell does not hinge on one kind of code.
    """
    return _diag_coding.bug_hunt(rng, difficulty, TEXT_TEMPLATES)


@generator("diagnostic.general.receipt", behavior=_DIAG, domain=Domain.GENERAL)
def receipt(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a shop receipt (line totals, subtotal, discount, tax, change).

    Everyday arithmetic with the rounding rule stated; the later lines follow from the wrong one,
    so only a line-by-line check finds it.
    """
    return _diag_receipt.receipt(rng, difficulty)


@generator("diagnostic.general.itinerary", behavior=_DIAG, domain=Domain.GENERAL)
def itinerary(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a travel itinerary across given time zones.

    Arrivals, onward departures and the total travel time each follow from the line above;
    errors are clock slips and zone changes ignored or applied the wrong way.
    """
    return _diag_itinerary.itinerary(rng, difficulty)
