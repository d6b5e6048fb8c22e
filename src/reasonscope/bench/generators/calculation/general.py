"""calculation/general families: shopping totals, clock arithmetic, unit conversions.

Everyday quantities with every price, rate and rounding rule stated, so the item exercises only
the arithmetic (percentages to the cent, minutes modulo a day, chained rates). Money is kept in
integer cents and times in integer minutes: the generator never rounds by accident.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_num, fmt_sig
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# --------------------------------------------------------------------------- shopping

_GOODS = (("pen", "pens", 40, 400), ("notebook", "notebooks", 120, 900),
          ("apple", "apples", 30, 150), ("coffee", "coffees", 180, 650),
          ("sandwich", "sandwiches", 350, 1200), ("T-shirt", "T-shirts", 600, 3500),
          ("book", "books", 500, 4500), ("candle", "candles", 200, 1800),
          ("towel", "towels", 450, 2500), ("mug", "mugs", 300, 1600),
          ("lamp", "lamps", 1500, 8000), ("pair of socks", "pairs of socks", 150, 1200))
_DISTRACTORS = ("The store opened at 9 a.m. that day.", "The cashier's name is Dana.",
                "The receipt number is 40718.", "It took 12 minutes to find a parking spot.")


def dollars(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}${c // 100}.{c % 100:02d}"


def pct_of(cents: int, pct: Fraction) -> int:
    """pct% of an amount in cents, rounded to the nearest cent with halves up."""
    exact = cents * pct / 100
    return int((2 * exact.numerator + exact.denominator) // (2 * exact.denominator))


def _money_draft(prompt: str, cents: int, steps: list[str], meta: dict[str, Any]) -> Draft:
    answer = fmt_num(Fraction(cents, 100), 2)
    return Draft(prompt=prompt + " Answer in dollars as a number (for example 12.5 for $12.50).",
                 answer=answer, answer_type=AnswerType.NUMBER, tolerance=1e-7,
                 steps=(*steps, f"The answer is {answer}."), meta=meta)


@generator("calculation.general.shopping", behavior=Behavior.CALCULATION, domain=Domain.GENERAL)
def shopping(rng: random.Random, difficulty: int) -> Draft:
    """Receipt totals: quantities, line promotions, percentage discount, coupon, tax, change.

    Prices, promotions and the order and rounding of every adjustment are spelled out, so the
    item measures exact money arithmetic; each level adds lines and adjustments.
    """
    if difficulty == 1:
        _, plural, *_ = good = rng.choice(_GOODS)
        price, qty = rng.randint(1, 9) * 100, rng.randint(2, 9)
        return _money_draft(f"One {good[0]} costs ${price // 100}. How much do {qty} {plural} "
                            "cost?", price * qty,
                            [f"{qty} × {price // 100} = {price * qty // 100}"],
                            {"lines": [[good[0], price, qty, None]], "ask": "total"})
    n_lines = {2: 2, 3: 3, 4: 4, 5: rng.randint(5, 6)}[difficulty]
    goods = rng.sample(_GOODS, n_lines)
    lines: list[list[Any]] = []
    text, steps, subtotal = [], [], 0
    for name, plural, lo, hi in goods:
        price = rng.randint(lo // 5, hi // 5) * 5
        qty = rng.randint(1, 4 if difficulty <= 3 else 7)
        promo: list[Any] | None = None
        line_total = price * qty
        if difficulty >= 4 and rng.random() < 0.4:
            if rng.random() < 0.5 and qty >= 3:
                promo = ["b2g1"]
                line_total = price * (qty - qty // 3)
            else:
                pct = rng.choice([10, 15, 20, 25, 30])
                promo = ["pct", pct]
                line_total -= pct_of(line_total, Fraction(pct))
        label = f"{qty} {plural if qty > 1 else name} at {dollars(price)} each"
        if promo and promo[0] == "b2g1":
            label += " (buy 2, get 1 free: every third one is free)"
        elif promo:
            label += f" ({promo[1]}% off this line)"
        text.append(label)
        steps.append(f"{label}: {dollars(line_total)}")
        lines.append([name, price, qty, promo])
        subtotal += line_total
    steps.append(f"subtotal {dollars(subtotal)}")
    meta: dict[str, Any] = {"lines": lines}
    rules, amount = [], subtotal
    if difficulty >= 3:
        disc = rng.choice([5, 10, 15, 20, 25])
        off = pct_of(amount, Fraction(disc))
        amount -= off
        rules.append(f"a {disc}% discount on the subtotal")
        steps.append(f"{disc}% discount: -{dollars(off)} -> {dollars(amount)}")
        meta["discount_pct"] = disc
    if difficulty == 5:
        threshold, coupon = rng.choice([(2000, 300), (5000, 500), (4000, 750), (10000, 1500)])
        rules.append(f"then a {dollars(coupon)} coupon if the amount is at least "
                     f"{dollars(threshold)}")
        if amount >= threshold:
            amount -= coupon
            steps.append(f"coupon applies: -{dollars(coupon)} -> {dollars(amount)}")
        else:
            steps.append("coupon does not apply")
        meta["coupon"] = [threshold, coupon]
    if difficulty >= 4:
        tax = Fraction(rng.choice([500, 600, 625, 700, 725, 750, 800, 825, 875, 950]), 100)
        t = pct_of(amount, tax)
        amount += t
        rules.append(f"then {fmt_num(tax, 2)}% sales tax on the result")
        steps.append(f"tax {fmt_num(tax, 2)}%: +{dollars(t)} -> {dollars(amount)}")
        meta["tax_pct"] = fmt_num(tax, 2)
    ask = "total"
    question = "What is the total?"
    if difficulty in (2, 5) and rng.random() < 0.5:
        paid = (amount // 1000 + 1) * 1000 if difficulty == 2 else (amount // 5000 + 1) * 5000
        question = f"The customer pays with {dollars(paid)}. How much change is due?"
        steps.append(f"change {dollars(paid)} - {dollars(amount)} = {dollars(paid - amount)}")
        amount, ask = paid - amount, "change"
        meta["paid"] = paid
    meta["ask"] = ask
    prompt = "A receipt lists " + "; ".join(text) + "."
    if rules:
        prompt += (" Apply, in order, " + ", ".join(rules) + ". Round each discount and tax to "
                   "the nearest cent (half a cent rounds up).")
    if difficulty == 5:
        prompt += " " + rng.choice(_DISTRACTORS)
    return _money_draft(f"{prompt} {question}", amount, steps, meta)


# --------------------------------------------------------------------------- clock arithmetic


def hhmm(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def span(minutes: int, style: int) -> str:
    h, m = divmod(minutes, 60)
    if style == 0 or h == 0:
        return f"{minutes} minutes"
    return f"{h} h {m} min" if m else f"{h} h"


def _utc(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    h, m = divmod(abs(offset), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


_CITIES = ("Lisbon", "Cairo", "Delhi", "Tokyo", "Adelaide", "Denver", "Toronto", "Kathmandu",
           "Tehran", "Santiago", "Nairobi", "Honolulu", "Auckland", "Reykjavik")
_OFFSETS = (0, 60, 120, 180, 210, 270, 330, 345, 420, 480, 540, 570, 600, 720, -180, -210, -300,
            -360, -420, -600)


@generator("calculation.general.clock", behavior=Behavior.CALCULATION, domain=Domain.GENERAL)
def clock(rng: random.Random, difficulty: int) -> Draft:
    """Clock arithmetic: adding durations, elapsed minutes, multi-leg trips, time zones.

    Start times, durations and UTC offsets are all given; the work is base-60 and modulo-24
    arithmetic, growing with the number of legs, midnight crossings and zone changes.
    """
    fmt_note = "Answer in 24-hour HH:MM format."
    meta: dict[str, Any]
    if difficulty == 1:
        start, dur = rng.randint(0, 20) * 60, rng.randint(1, 3) * 60
        while start // 60 + dur // 60 > 23:
            start -= 60
        meta = {"start": hhmm(start), "legs": [dur], "from_offset": 0, "to_offset": 0,
                "ask": "time"}
        hours = f"{dur // 60} hour" + ("s" if dur > 60 else "")
        prompt = f"It is {hhmm(start)}. What time will it be {hours} later? {fmt_note}"
        steps = [f"{hhmm(start)} + {dur // 60} h = {hhmm(start + dur)}"]
        return _clock_draft(prompt, start + dur, steps, meta)
    if difficulty in (2, 3) and rng.random() < 0.5:
        start = rng.randint(0, 287) * 5
        length = rng.randint(20, 600) if difficulty == 2 else rng.randint(300, 1300)
        if difficulty == 2:
            start = min(start, 1439 - length)
        end = start + length
        meta = {"start": hhmm(start), "end": hhmm(end), "ask": "minutes"}
        nxt = " on the next day" if end >= 1440 else ""
        return Draft(
            prompt=(f"A shift starts at {hhmm(start)} and ends at {hhmm(end)}{nxt}. How many "
                    "minutes long is it? Give the answer as an integer."),
            answer=str(length), answer_type=AnswerType.INTEGER,
            steps=(f"from {hhmm(start)} to {hhmm(end)}{nxt} is {length} minutes.",), meta=meta)
    n_legs = {2: 1, 3: 1, 4: rng.randint(2, 3), 5: rng.randint(3, 4)}[difficulty]
    start = rng.randint(0, 287) * 5 if difficulty >= 3 else rng.randint(0, 143) * 5
    legs = [rng.randint(15, 300 if difficulty >= 3 else 180) for _ in range(n_legs)]
    waits = [rng.randint(20, 180) for _ in range(n_legs - 1)]
    zones = rng.sample(_OFFSETS, 2) if difficulty == 5 else [0, 0]
    cities = rng.sample(_CITIES, n_legs + 1)
    parts, steps, now = [], [], start
    for i, leg in enumerate(legs):
        parts.append(f"the trip to {cities[i + 1]} takes {span(leg, rng.randint(0, 1))}")
        steps.append(f"{hhmm(now)} + {leg} min = {hhmm(now + leg)}")
        now += leg
        if i < len(waits):
            parts.append(f"then a stop of {span(waits[i], rng.randint(0, 1))}")
            steps.append(f"{hhmm(now)} + {waits[i]} min = {hhmm(now + waits[i])}")
            now += waits[i]
    arrive = now - zones[0] + zones[1]
    if difficulty == 5:
        lead = (f"A traveller leaves {cities[0]} ({_utc(zones[0])}) at {hhmm(start)} local time. "
                f"{cities[-1]} is at {_utc(zones[1])}. All durations are elapsed times; only these "
                "two time zones matter.")
        ask = f"What is the local time in {cities[-1]} on arrival?"
        steps.append(f"shift from {_utc(zones[0])} to {_utc(zones[1])}: {hhmm(arrive)}")
    else:
        lead = f"A traveller leaves {cities[0]} at {hhmm(start)} (all places share one time zone)."
        ask = "What time is it on arrival?"
    prompt = f"{lead} In order: {', '.join(parts)}. {ask} {fmt_note}"
    meta = {"start": hhmm(start), "legs": [*legs], "waits": waits, "from_offset": zones[0],
            "to_offset": zones[1], "ask": "time"}
    return _clock_draft(prompt, arrive, steps, meta)


def _clock_draft(prompt: str, minutes: int, steps: list[str], meta: dict[str, Any]) -> Draft:
    answer = hhmm(minutes)
    aliases = [answer[1:]] if answer.startswith("0") else []
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.STRING,
                 steps=(*steps, f"The answer is {answer}."),
                 meta={**meta, "aliases": aliases} if aliases else meta)


# --------------------------------------------------------------------------- unit conversion

# edges "1 big = k small"; each category's edges form a tree
_UNIT_EDGES: dict[str, tuple[tuple[str, str, str], ...]] = {
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
_PLURAL = {"foot": "feet", "inch": "inches", "century": "centuries"}
_USD_VALUE = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CHF": 1.12, "INR": 0.012,
              "CAD": 0.74, "AUD": 0.66, "MXN": 0.058, "SEK": 0.095}


def plural(unit: str) -> str:
    return unit if unit.isupper() else _PLURAL.get(unit, unit + "s")


def _currency_edges(rng: random.Random) -> tuple[tuple[str, str, str], ...]:
    codes = rng.sample(sorted(_USD_VALUE), 6)
    edges = []
    for a, b in itertools.pairwise(codes):
        rate = _USD_VALUE[a] / _USD_VALUE[b] * rng.uniform(0.97, 1.03)
        edges.append((a, fmt_sig(rate, 4), b))
    return tuple(edges)


Edge = tuple[str, str, str]


def _path(edges: tuple[Edge, ...], src: str, dst: str) -> list[Edge]:
    """Edges from src to dst in a tree (depth-first search)."""
    stack: list[tuple[str, list[tuple[str, str, str]]]] = [(src, [])]
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


def _factor(edges: list[tuple[str, str, str]], src: str) -> Fraction:
    f, at = Fraction(1), src
    for big, k, small in edges:
        f, at = (f * Fraction(k), small) if at == big else (f / Fraction(k), big)
    return f


def _route(rng: random.Random, cat: str, links: tuple[int, int], whole_rates: bool,
           forward: bool, edges: tuple[tuple[str, str, str], ...],
           ) -> tuple[str, str, list[tuple[str, str, str]]]:
    units = sorted({u for e in edges for u in (e[0], e[2])})
    for _ in range(500):
        src, dst = rng.sample(units, 2)
        path = _path(edges, src, dst)
        if not links[0] <= len(path) <= links[1]:
            continue
        if whole_rates and any("." in e[1] for e in path):
            continue
        if forward and _factor(path, src).denominator != 1:
            continue
        return src, dst, path
    raise RuntimeError(f"no {cat} route with {links} links")


@generator("calculation.general.unit_conversion", behavior=Behavior.CALCULATION,
           domain=Domain.GENERAL)
def unit_conversion(rng: random.Random, difficulty: int) -> Draft:
    """Convert a quantity through a chain of stated rates (lengths, volumes, money, rates).

    The rates are in the prompt, so nothing is recalled; the skill is multiplying or dividing by
    each rate in the right direction. Later levels add links, compound units and unused rates.
    """
    links = {1: (1, 1), 2: (1, 2), 3: (2, 3), 4: (3, 4), 5: (3, 5)}[difficulty]
    cats = ["length", "mass", "volume", "time"] + (["currency"] if difficulty >= 3 else [])
    cat = rng.choice(cats)
    edges = _currency_edges(rng) if cat == "currency" else _UNIT_EDGES[cat]
    src, dst, path = _route(rng, cat, links, difficulty <= 2, difficulty == 1, edges)
    factor = _factor(path, src)
    if difficulty <= 2:
        amount = Fraction(rng.randint(1, 12 if difficulty == 1 else 60))
    else:
        amount = Fraction(rng.randint(10, 9999), rng.choice([1, 10, 100]))
    if difficulty == 2 and factor.denominator != 1:
        amount *= factor.denominator
    compound = None
    if difficulty >= 4 and cat != "time" and rng.random() < 0.4:
        t_src, t_dst, t_path = _route(rng, "time", (1, 2), False, False, _UNIT_EDGES["time"])
        compound = (t_src, t_dst, t_path)
        factor /= _factor(t_path, t_src)
    shown = list(path) + (list(compound[2]) if compound else [])
    if difficulty == 5:
        extra = [e for c in ("length", "mass", "volume") for e in _UNIT_EDGES[c] if e not in shown]
        shown += rng.sample(extra, 3)
    rng.shuffle(shown)
    rates = "; ".join(f"1 {a} = {k} {plural(b) if k != '1' else b}" for a, k, b in shown)
    value = amount * factor
    if compound:
        q = (f"Convert {fmt_num(amount, 2)} {plural(src)} per {compound[0]} to {plural(dst)} per "
             f"{compound[1]}.")
    elif cat == "currency":
        q = f"How many {dst} is {fmt_num(amount, 2)} {src}?"
    else:
        q = f"How many {plural(dst)} are in {fmt_num(amount, 2)} {plural(src)}?"
    lead = "Suppose these exchange rates hold" if cat == "currency" else "Use these rates"
    tail = "Give the answer as a number." if difficulty <= 2 else \
        "Give the answer to at least 4 significant figures."
    answer = fmt_sig(value, 6)
    steps = [f"multiply by {fmt_sig(factor, 8)} (the product of the rates along "
             f"{src} -> {dst})", f"{fmt_num(amount, 2)} × {fmt_sig(factor, 8)} = {answer}"]
    return Draft(
        prompt=f"{lead}: {rates}. {q} {tail}", answer=answer,
        answer_type=AnswerType.NUMBER, tolerance=1e-3, steps=tuple(steps),
        meta={"rates": [list(e) for e in shown], "amount": str(amount), "from": src, "to": dst,
              "per": [compound[0], compound[1]] if compound else None},
    )
