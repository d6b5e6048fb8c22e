"""calculation/general: receipt totals with promotions, discount, coupon, tax and change.

Prices, promotions and the order and rounding of every adjustment are spelled out, so the item
measures exact money arithmetic. Money is kept in integer cents: the generator never rounds by
accident, and its solver counts every multiplication, sum, rounding and comparison it does.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import (
    Precision,
    fmt_num,
    precision_meta,
    rounded_answer,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

_GOODS = (("pen", "pens", 40, 400), ("notebook", "notebooks", 120, 900),
          ("apple", "apples", 30, 150), ("coffee", "coffees", 180, 650),
          ("sandwich", "sandwiches", 350, 1200), ("T-shirt", "T-shirts", 600, 3500),
          ("book", "books", 500, 4500), ("candle", "candles", 200, 1800),
          ("towel", "towels", 450, 2500), ("mug", "mugs", 300, 1600),
          ("lamp", "lamps", 1500, 8000), ("pair of socks", "pairs of socks", 150, 1200),
          ("bag of rice", "bags of rice", 250, 1400), ("battery pack", "battery packs", 400, 2500))
_DISTRACTORS = ("The store opened at 9 a.m. that day.", "The cashier's name is Dana.",
                "The receipt number is 40718.", "It took 12 minutes to find a parking spot.")
CENTS = Precision(places=2)


def dollars(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}${c // 100}.{c % 100:02d}"


def pct_of(cents: int, pct: Fraction) -> int:
    """pct% of an amount in cents, rounded to the nearest cent with halves up."""
    exact = cents * pct / 100
    return int((2 * exact.numerator + exact.denominator) // (2 * exact.denominator))


PCT_OPS = 3  # multiply by the rate, divide by 100, round to the cent


def _money_draft(prompt: str, cents: int, steps: list[str], meta: dict[str, Any],
                 ops: int) -> Draft:
    answer, tolerance = rounded_answer(Fraction(cents, 100), CENTS)
    return Draft(prompt=prompt + " Answer in dollars as a number, to the cent (for example "
                 "12.50 for $12.50).", answer=answer, answer_type=AnswerType.NUMBER,
                 tolerance=tolerance, steps=(*steps, f"The answer is {dollars(cents)}."),
                 meta={**meta, **precision_meta(CENTS)}, work=ops, work_unit="operations")


def _line(rng: random.Random, difficulty: int, good: tuple[str, str, int, int]
          ) -> tuple[list[Any], str, int, int]:
    """(line record, text, line total in cents, operations to compute it)."""
    name, plural, lo, hi = good
    price = rng.randint(lo // 5, hi // 5) * 5
    qty = rng.randint(1, {2: 4, 3: 4, 4: 7, 5: 9}[difficulty])
    promo: list[Any] | None = None
    total, ops = price * qty, 1
    if difficulty >= 4 and rng.random() < 0.45:
        if rng.random() < 0.5 and qty >= 3:
            promo = ["b2g1"]
            total, ops = price * (qty - qty // 3), 3  # free items, paid items, times price
        else:
            pct = rng.choice([10, 15, 20, 25, 30])
            promo = ["pct", pct]
            total -= pct_of(total, Fraction(pct))
            ops += PCT_OPS + 1
    label = f"{qty} {plural if qty > 1 else name} at {dollars(price)} each"
    if promo and promo[0] == "b2g1":
        label += " (buy 2, get 1 free: every third one is free)"
    elif promo:
        label += f" ({promo[1]}% off this line)"
    return [name, price, qty, promo], label, total, ops


@generator("calculation.general.shopping", behavior=Behavior.CALCULATION, domain=Domain.GENERAL,
           version=2,
           why="Prices, promotions, rates and the order and rounding of every adjustment are "
               "stated, so nothing is recalled or planned; the item is exact money arithmetic, "
               "from one product to eight promoted lines with discount, coupon, tax and change.")
def shopping(rng: random.Random, difficulty: int) -> Draft:
    """Receipt totals: quantities, line promotions, percentage discount, coupon, tax, change."""
    if difficulty == 1:
        name, plural, *_ = rng.choice(_GOODS)
        price, qty = rng.randint(1, 9) * 100, rng.randint(2, 9)
        return _money_draft(f"One {name} costs ${price // 100}. How much do {qty} {plural} "
                            "cost?", price * qty,
                            [f"{qty} × {price // 100} = {price * qty // 100}"],
                            {"lines": [[name, price, qty, None]], "ask": "total"}, 1)
    n_lines = {2: 2, 3: 3, 4: 4, 5: rng.randint(6, 8)}[difficulty]
    lines, text, steps, subtotal, ops = [], [], [], 0, 0
    for good in rng.sample(_GOODS, n_lines):
        record, label, line_total, line_ops = _line(rng, difficulty, good)
        lines.append(record)
        text.append(label)
        steps.append(f"{label}: {dollars(line_total)}")
        subtotal += line_total
        ops += line_ops
    ops += n_lines - 1
    steps.append(f"subtotal {dollars(subtotal)}")
    meta: dict[str, Any] = {"lines": lines}
    rules, amount = [], subtotal
    if difficulty >= 3:
        disc = rng.choice([5, 10, 15, 20, 25])
        off = pct_of(amount, Fraction(disc))
        amount -= off
        ops += PCT_OPS + 1
        rules.append(f"a {disc}% discount on the subtotal")
        steps.append(f"{disc}% discount: -{dollars(off)} -> {dollars(amount)}")
        meta["discount_pct"] = disc
    if difficulty == 5:
        threshold, coupon = rng.choice([(2000, 300), (5000, 500), (4000, 750), (10000, 1500),
                                        (15000, 2000)])
        rules.append(f"then a {dollars(coupon)} coupon if the amount is at least "
                     f"{dollars(threshold)}")
        ops += 1
        if amount >= threshold:
            amount -= coupon
            ops += 1
            steps.append(f"coupon applies: -{dollars(coupon)} -> {dollars(amount)}")
        else:
            steps.append("coupon does not apply")
        meta["coupon"] = [threshold, coupon]
    if difficulty >= 4:
        tax = Fraction(rng.choice([500, 600, 625, 700, 725, 750, 800, 825, 875, 950]), 100)
        t = pct_of(amount, tax)
        amount += t
        ops += PCT_OPS + 1
        rules.append(f"then {fmt_num(tax, 2)}% sales tax on the result")
        steps.append(f"tax {fmt_num(tax, 2)}%: +{dollars(t)} -> {dollars(amount)}")
        meta["tax_pct"] = fmt_num(tax, 2)
    ask, question = "total", "What is the total?"
    if difficulty in (2, 5) and rng.random() < 0.5:
        paid = (amount // 1000 + 1) * 1000 if difficulty == 2 else (amount // 5000 + 1) * 5000
        question = f"The customer pays with {dollars(paid)}. How much change is due?"
        steps.append(f"change {dollars(paid)} - {dollars(amount)} = {dollars(paid - amount)}")
        amount, ask = paid - amount, "change"
        ops += 1
        meta["paid"] = paid
    meta["ask"] = ask
    prompt = "A receipt lists " + "; ".join(text) + "."
    if rules:
        prompt += (" Apply, in order, " + ", ".join(rules) + ". Round each discount and tax to "
                   "the nearest cent (half a cent rounds up).")
    if difficulty == 5:
        prompt += " " + rng.choice(_DISTRACTORS)
    return _money_draft(f"{prompt} {question}", amount, steps, meta, ops)
