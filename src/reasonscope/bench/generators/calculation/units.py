"""calculation/general: converting a quantity through a chain of stated rates.

The rates are in the prompt, so nothing is recalled; the skill is multiplying or dividing by each
rate in the right direction. The solver multiplies along the path of rates from the given unit
to the asked one (one operation per rate, one for the amount), and for rates per unit (miles per
gallon, dollars per pound) along a second path for the denominator.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import (
    Precision,
    fmt_num,
    fmt_sig,
    precision_meta,
    retry,
    rounded_answer,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

Edge = tuple[str, str, str]  # "1 big = k small"

# each category's edges form a tree
UNIT_EDGES: dict[str, tuple[Edge, ...]] = {
    "length": (("mile", "1760", "yard"), ("yard", "3", "foot"), ("foot", "12", "inch"),
               ("inch", "2.54", "centimeter"), ("meter", "100", "centimeter"),
               ("kilometer", "1000", "meter")),
    "mass": (("stone", "14", "pound"), ("pound", "16", "ounce"), ("ounce", "28.35", "gram"),
             ("kilogram", "1000", "gram"), ("tonne", "1000", "kilogram")),
    "volume": (("gallon", "4", "quart"), ("quart", "2", "pint"), ("pint", "2", "cup"),
               ("cup", "16", "tablespoon"), ("tablespoon", "3", "teaspoon"),
               ("gallon", "3.785", "liter"), ("liter", "1000", "milliliter")),
    "time": (("week", "7", "day"), ("day", "24", "hour"), ("hour", "60", "minute"),
             ("minute", "60", "second")),
}
# quantity per unit of another: (numerator category, denominator category)
_RATE_KINDS = (("length", "time"), ("length", "volume"), ("mass", "volume"),
               ("currency", "mass"), ("currency", "volume"), ("volume", "time"))
_PLURAL = {"foot": "feet", "inch": "inches"}
_USD_VALUE = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CHF": 1.12, "INR": 0.012,
              "CAD": 0.74, "AUD": 0.66, "MXN": 0.058, "SEK": 0.095}
# (main path links, rate-denominator path links or None): level 5 always converts a rate
_LINKS: dict[int, tuple[tuple[int, int], tuple[int, int] | None]] = {
    1: ((1, 1), None), 2: ((2, 2), None), 3: ((3, 3), None), 4: ((4, 5), None),
    5: ((3, 6), (2, 4)),
}


def plural(unit: str) -> str:
    return unit if unit.isupper() else _PLURAL.get(unit, unit + "s")


def _currency_edges(rng: random.Random) -> tuple[Edge, ...]:
    codes = rng.sample(sorted(_USD_VALUE), 6)
    return tuple((a, fmt_sig(_USD_VALUE[a] / _USD_VALUE[b] * rng.uniform(0.97, 1.03), 4), b)
                 for a, b in itertools.pairwise(codes))


def path(edges: tuple[Edge, ...], src: str, dst: str) -> list[Edge]:
    """Edges from src to dst in a tree (depth-first search)."""
    stack: list[tuple[str, list[Edge]]] = [(src, [])]
    seen = {src}
    while stack:
        node, used = stack.pop()
        if node == dst:
            return used
        for e in edges:
            for here, there in ((e[0], e[2]), (e[2], e[0])):
                if here == node and there not in seen:
                    seen.add(there)
                    stack.append((there, [*used, e]))
    raise ValueError(f"no path {src} -> {dst}")


def factor(edges: list[Edge], src: str) -> Fraction:
    f, at = Fraction(1), src
    for big, k, small in edges:
        f, at = (f * Fraction(k), small) if at == big else (f / Fraction(k), big)
    return f


def _route(rng: random.Random, edges: tuple[Edge, ...], links: tuple[int, int],
           whole_forward: bool) -> tuple[str, str, list[Edge]]:
    units = sorted({u for e in edges for u in (e[0], e[2])})
    pairs = [(a, b) for a in units for b in units if a != b]
    rng.shuffle(pairs)
    for src, dst in pairs:
        p = path(edges, src, dst)
        if not links[0] <= len(p) <= links[1]:
            continue
        if whole_forward and (any("." in e[1] for e in p) or factor(p, src).denominator != 1):
            continue
        return src, dst, p
    raise RuntimeError(f"no route with {links} links")


def _edges(rng: random.Random, cat: str) -> tuple[Edge, ...]:
    return _currency_edges(rng) if cat == "currency" else UNIT_EDGES[cat]


def _draft(rng: random.Random, difficulty: int) -> Draft:
    main_links, per_links = _LINKS[difficulty]
    if per_links is None:
        cats = ["length", "mass", "volume", "time"] + (["currency"] if difficulty >= 3 else [])
        cat, per_cat = rng.choice(cats), None
    else:
        cat, per_cat = rng.choice(_RATE_KINDS)
    edges = _edges(rng, cat)
    src, dst, main = _route(rng, edges, main_links, difficulty <= 2)
    value_factor, shown = factor(main, src), list(main)
    per = None
    if per_cat is not None and per_links is not None:
        low = max(per_links[0], 6 - len(main))
        per = _route(rng, UNIT_EDGES[per_cat], (low, per_links[1]), False)
        value_factor /= factor(per[2], per[0])
        shown += per[2]
    if difficulty >= 4:
        spare = [e for c in ("length", "mass", "volume", "time") for e in UNIT_EDGES[c]
                 if e not in shown]
        shown += rng.sample(spare, 3)
    rng.shuffle(shown)
    if difficulty <= 2:
        amount = Fraction(rng.randint(1, 12 if difficulty == 1 else 40))
    else:
        amount = Fraction(rng.randint(10, 9999), rng.choice([1, 10, 100]))
    value = amount * value_factor
    ops = 1 + len(main) + (len(per[2]) if per else 0)  # amount × each rate along both paths
    rates = "; ".join(f"1 {a} = {k} {plural(b) if k != '1' else b}" for a, k, b in shown)
    if per:
        q = (f"Convert {fmt_num(amount, 2)} {plural(src)} per {per[0]} to {plural(dst)} per "
             f"{per[1]}.")
    elif cat == "currency":
        q = f"How many {dst} is {fmt_num(amount, 2)} {src}?"
    else:
        q = f"How many {plural(dst)} are in {fmt_num(amount, 2)} {plural(src)}?"
    lead = "Suppose these exchange rates hold" if cat == "currency" else "Use these rates"
    steps = [f"{src} -> {dst}: " + " -> ".join(f"1 {a} = {k} {b}" for a, k, b in main)]
    if per:
        steps.append(f"per {per[0]} -> per {per[1]}: "
                     + " -> ".join(f"1 {a} = {k} {b}" for a, k, b in per[2]))
    steps.append(f"{fmt_num(amount, 2)} × {fmt_sig(value_factor, 10)} = {fmt_sig(value, 10)}")
    meta = {"rates": [list(e) for e in shown], "amount": str(amount), "from": src, "to": dst,
            "per": [per[0], per[1]] if per else None}
    if difficulty <= 2:
        assert value.denominator == 1
        return Draft(prompt=f"{lead}: {rates}. {q} Give the answer as an integer.",
                     answer=str(value.numerator), answer_type=AnswerType.INTEGER,
                     steps=(*steps, f"The answer is {value.numerator}."), meta=meta, work=ops,
                     work_unit="operations")
    precision = Precision(sig=4)
    answer, tolerance = rounded_answer(value, precision)
    return Draft(prompt=f"{lead}: {rates}. {q} Give the answer {precision.phrase()}.",
                 answer=answer, answer_type=AnswerType.NUMBER, tolerance=tolerance,
                 steps=(*steps, f"Rounded to 4 significant figures: {answer}."),
                 meta={**meta, **precision_meta(precision)}, work=ops, work_unit="operations")


@generator("calculation.general.unit_conversion", behavior=Behavior.CALCULATION,
           domain=Domain.GENERAL, version=2,
           why="Every rate is in the prompt, so no conversion factor is recalled; the skill is "
               "multiplying or dividing by each rate in the right direction, from one rate to "
               "rates per unit chained through up to ten stated rates.")
def unit_conversion(rng: random.Random, difficulty: int) -> Draft:
    """Convert a quantity through a chain of stated rates (lengths, volumes, money, rates)."""
    return retry(lambda: _draft(rng, difficulty))
